#!/usr/bin/env python3
"""How many postings that mention a metric word get a flagged metric.

usage: metric_coverage.py OUT JDS [OUT JDS ...]

OUT is a folder written by `otiose batch -f json` (files NAME.json), JDS the
folder of the postings it read (NAME).  A posting *mentions a metric word*
when its text holds metrics, KPIs, OKRs, SLAs, engagement, adoption,
utilization, retention, conversion or quota (whatever the sense); it is
*flagged* when its record has at least one [05] entry.  Prints one line per
pair: postings, mentioning, flagged, and the share (issue 16).

A flagged posting is flagged *by its own words* when at least one [05] entry
quotes the posting ("usual": false: a metric rule's hit or a heuristic find),
and *only by borrowed ones* when every entry is one of the closest
specimen's own metrics ("usual": true): standing in for metrics the posting
speaks of without naming them (those have the sentence's span), or listed
because it names none (no span: "start" is null).  The second line of each
pair splits the flagged postings so, over those that mention a metric word
and over all postings.
"""
import glob
import json
import os
import re
import sys

WORDS = re.compile(r'\b(metrics?|kpis?|okrs?|slas?|engagement|adoption|utili[sz]ation|'
                   r'retention|conversion|quotas?)\b', re.I)


def kind(metrics):
    """'own' if an entry quotes the posting, 'spoken' if all are borrowed
    and one stands in for unnamed metrics, 'none' if all are borrowed for a
    posting that names none; None when nothing is flagged."""
    if not metrics:
        return None
    if any(not m.get('usual') for m in metrics):
        return 'own'
    if any(m.get('start') is not None for m in metrics):
        return 'spoken'
    return 'none'


def pct(n, d):
    return 100.0 * n / d if d else 0.0


def main(args):
    if not args or len(args) % 2:
        sys.exit(__doc__.strip())
    for out, jds in zip(args[::2], args[1::2]):
        total = mention = flagged = 0
        split = {'mention': {'own': 0, 'spoken': 0, 'none': 0},
                 'all': {'own': 0, 'spoken': 0, 'none': 0}}
        for f in sorted(glob.glob(os.path.join(out, '*.json'))):
            name = os.path.basename(f)[:-5]
            src = os.path.join(jds, name)
            if not os.path.isfile(src):
                continue  # the batch summary, or a file from another run
            total += 1
            with open(src, encoding='utf-8', errors='replace') as fh:
                mentions = bool(WORDS.search(fh.read()))
            with open(f, encoding='utf-8') as fh:
                k = kind(json.load(fh).get('metrics'))
            if k:
                split['all'][k] += 1
            if not mentions:
                continue
            mention += 1
            if k:
                flagged += 1
                split['mention'][k] += 1
        print(f'{out}: {total} postings, {mention} mention a metric word, '
              f'{flagged} flagged ({pct(flagged, mention):.1f}%)')
        for what, n in (('mentioning', flagged), ('all postings', sum(split['all'].values()))):
            s = split['mention' if what == 'mentioning' else 'all']
            borrowed = s['spoken'] + s['none']
            print(f'  {what}: {n} flagged, {s["own"]} by the posting\'s own words, '
                  f'{borrowed} only by borrowed metrics ({pct(borrowed, n):.1f}%: '
                  f'{s["spoken"]} for metrics spoken of, {s["none"]} for a posting naming none)')


if __name__ == '__main__':
    main(sys.argv[1:])
