#!/usr/bin/env python3
"""How many postings that mention a metric word get a flagged metric.

usage: metric_coverage.py OUT JDS [OUT JDS ...]

OUT is a folder written by `otiose batch -f json` (files NAME.json), JDS the
folder of the postings it read (NAME).  A posting *mentions a metric word*
when its text holds metrics, KPIs, OKRs, SLAs, engagement, adoption,
utilization, retention, conversion or quota (whatever the sense); it is
*flagged* when its record has at least one [05] entry.  Prints one line per
pair: postings, mentioning, flagged, and the share (issue 16).
"""
import glob
import json
import os
import re
import sys

WORDS = re.compile(r'\b(metrics?|kpis?|okrs?|slas?|engagement|adoption|utili[sz]ation|'
                   r'retention|conversion|quotas?)\b', re.I)


def main(args):
    if not args or len(args) % 2:
        sys.exit(__doc__.strip())
    for out, jds in zip(args[::2], args[1::2]):
        total = mention = flagged = 0
        for f in sorted(glob.glob(os.path.join(out, '*.json'))):
            name = os.path.basename(f)[:-5]
            src = os.path.join(jds, name)
            if not os.path.isfile(src):
                continue  # the batch summary, or a file from another run
            total += 1
            with open(src, encoding='utf-8', errors='replace') as fh:
                if not WORDS.search(fh.read()):
                    continue
            mention += 1
            with open(f, encoding='utf-8') as fh:
                flagged += bool(json.load(fh).get('metrics'))
        share = 100.0 * flagged / mention if mention else 0.0
        print(f'{out}: {total} postings, {mention} mention a metric word, '
              f'{flagged} flagged ({share:.1f}%)')


if __name__ == '__main__':
    main(sys.argv[1:])
