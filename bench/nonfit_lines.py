#!/usr/bin/env python3
"""The translate lines readers judge weak more often than fit.

usage: nonfit_lines.py ROOT [SEEDS] [--sentences DIR]

Maps every judged (sentence, translation) pair of ROOT/bench/judged/seed-*-pairs.tsv back to
the `translate` line of ROOT/rules/*.rules that printed it (a template's slots match any text),
counts each line's fit, weak and misfire judgements over all draws, and prints, as Markdown,
the lines judged weak or misfire more often than fit, with each judged occurrence. SEEDS
(comma-separated) keeps only the lines with a non-fit judgement in those draws. The judged
files in bench/ hold no posting text; --sentences DIR adds the sentence and the reader's reason
from the draws' own judged files, DIR/v<seed>/judged/pairs.tsv (as build/variety and a reader
write them, outside the repository).
"""
import collections
import csv
import glob
import os
import re
import sys


def templates(root):
    out = []
    for f in sorted(glob.glob(os.path.join(root, 'rules', '*.rules'))):
        rule = None
        with open(f, encoding='utf-8') as fh:
            for i, line in enumerate(fh, 1):
                if line.startswith('rule:'):
                    rule = line.split(':', 1)[1].strip()
                m = re.match(r'(translate(?:\.[a-z-]+)?): (.*)', line.rstrip('\n'))
                if not m:
                    continue
                rx = ''.join('.+?' if re.fullmatch(r'\{[A-Za-z]+\}', part) else re.escape(part)
                             for part in re.split(r'(\{[A-Za-z]+\})', m.group(2)))
                out.append((os.path.basename(f) + ':' + str(i), rule, m.group(1), m.group(2),
                            re.compile(rx + r'\Z', re.S | re.I)))
    return out


def main(argv):
    args = [a for a in argv if not a.startswith('--')]
    sdir = None
    if '--sentences' in argv:
        k = argv.index('--sentences')
        if k + 1 >= len(argv):
            sys.exit(__doc__.strip())
        sdir = argv[k + 1]
        args = [a for a in args if a != sdir]
    if not args:
        sys.exit(__doc__.strip())
    root = args[0]
    only = set(args[1].split(',')) if len(args) > 1 else None
    tmpl = templates(root)
    stats = collections.defaultdict(collections.Counter)
    occ = collections.defaultdict(list)
    unmatched = 0
    for pf in sorted(glob.glob(os.path.join(root, 'bench', 'judged', 'seed-*-pairs.tsv'))):
        seed = re.search(r'seed-(\d+)', pf).group(1)
        extra = {}
        if sdir:
            jf = os.path.join(sdir, 'v' + seed, 'judged', 'pairs.tsv')
            if os.path.isfile(jf):
                with open(jf, encoding='utf-8') as fh:
                    for row in csv.DictReader(fh, delimiter='\t'):
                        extra[(row.get('file'), (row.get('translation') or '').strip())] = row
        with open(pf, encoding='utf-8') as fh:
            for row in csv.DictReader(fh, delimiter='\t'):
                tr = row['translation'].strip()
                rid = row['rule'].split(' ')[0]
                hit = [t for t in tmpl if t[1] == rid and t[4].match(tr)] or \
                      [t for t in tmpl if t[4].match(tr)]
                if not hit:
                    unmatched += 1  # a line since rewritten
                    continue
                key = hit[0][0]
                stats[key][row['judgement']] += 1
                e = extra.get((row['file'], tr), {})
                o = (seed, row['judgement'], row['file'], e.get('sentence', ''), tr, e.get('why', ''))
                if o not in occ[key]:
                    occ[key].append(o)
    bykey = {t[0]: t for t in tmpl}
    out = []
    for k, c in stats.items():
        nf = c['weak'] + c['misfire']
        if nf > c['fit'] and (not only or any(o[0] in only and o[1] != 'fit' for o in occ[k])):
            out.append((nf, k))
    out.sort(key=lambda x: (-x[0], x[1]))
    print('# %d translate lines judged non-fit more often than fit '
          '(%d judged pairs match no current line)\n' % (len(out), unmatched))
    for nf, k in out:
        t, c = bykey[k], stats[k]
        print('## rules/%s rule %s (non-fit %d, fit %d)' % (k, t[1], nf, c['fit']))
        print('`%s: %s`' % (t[2], t[3]))
        for seed, j, f, s, tr, why in occ[k]:
            print('  - [%s] draw %s %s: sentence: "%s" | output: "%s" | reader: %s'
                  % (j, seed, f, s, tr, why))
        print()


if __name__ == '__main__':
    main(sys.argv[1:])
