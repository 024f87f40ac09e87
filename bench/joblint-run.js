// joblint-run.js - lint every posting of a folder with Joblint in one node
// process, for bench/peers.py (issue 14).
//
//     node bench/joblint-run.js JOBLINT_CHECKOUT DIR
//
// Loads the checkout's library (its package.json "main", lib/joblint.js),
// then, timed, reads each regular file directly in DIR (hidden ones skipped)
// and lints its text with Joblint's default rules, as `joblint FILE` does for
// one file.  Prints one JSON line: files, bytes, the seconds from the first
// read to the last lint (node's start-up and the require excluded; the
// caller times the whole process), the CPU seconds of the same span (on a
// loaded machine the steadier figure) and the number of issues found, so
// that a run that linted nothing shows.
'use strict';

const fs = require('fs');
const path = require('path');

function main(argv) {
    if (argv.length !== 2) {
        process.stderr.write('usage: node joblint-run.js JOBLINT_CHECKOUT DIR\n');
        return 2;
    }
    const [checkout, dir] = argv;
    let joblint;
    try {
        joblint = require(path.resolve(checkout));
    } catch (e) {
        process.stderr.write(`joblint-run: cannot load Joblint from ${JSON.stringify(checkout)}: ` +
                             `${e.message.split('\n')[0]} (run npm install in the checkout?)\n`);
        return 3;
    }
    let names;
    try {
        names = fs.readdirSync(dir).filter((n) => !n.startsWith('.')).sort();
    } catch (e) {
        process.stderr.write(`joblint-run: ${JSON.stringify(dir)}: ${e.message}\n`);
        return 1;
    }
    let files = 0, bytes = 0, issues = 0;
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    for (const name of names) {
        const full = path.join(dir, name);
        if (!fs.statSync(full).isFile())
            continue;
        const buf = fs.readFileSync(full);
        const result = joblint(buf.toString('utf8'));
        files++;
        bytes += buf.length;
        issues += result.issues.length;
    }
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const c = process.cpuUsage(c0);
    const cpu_seconds = (c.user + c.system) / 1e6;
    process.stdout.write(JSON.stringify({files, bytes, seconds, cpu_seconds, issues}) + '\n');
    return 0;
}

process.exitCode = main(process.argv.slice(2));
