#!/usr/bin/env zsh
# complete.zsh - the words zsh's completion offers for each command line
# given, with the completion function found in the folder FPATH_DIR (an
# installed share/zsh/site-functions).  For tests/test_install.c.
#
#   zsh -f tests/complete.zsh FPATH_DIR 'otiose tr' 'otiose corpus build --f' ...
#
# Each line is typed into an interactive zsh (in a pseudo-terminal, zpty)
# and completed with TAB.  What the terminal shows is not read: zsh skips
# drawing a list while keys wait to be read, so it depends on timing.
# Instead compadd, through which every completion function offers its
# words, is wrapped to also write the words that match what was typed to a
# file, one a line; after "=== LINE" come those of that line, and a line
# "error: ..." with what the terminal showed if a completion function
# complained.  A marker
# echoed after each line keeps the reads in step without sleeping; the
# caller bounds the whole run in time.
emulate -L zsh
setopt extendedglob
zmodload zsh/zpty || { print -u2 "complete.zsh: failed at line $LINENO"; exit 2; }
dir=$1; shift
tmp=$(mktemp -d "${TMPDIR:-/tmp}/otz-zsh.XXXXXX") || { print -u2 "complete.zsh: failed at line $LINENO"; exit 2; }
trap 'rm -rf -- "$tmp"' EXIT
zpty -b z 'zsh -f -i' || { print -u2 "complete.zsh: failed at line $LINENO"; exit 2; }
# The wrapper leaves alone the calls that only ask (-O, -A, -D: their
# words are not offered), and writes what the others would add.
zpty -w z "PS1='> '; fpath=(${(q)dir} \$fpath); autoload -Uz compinit; compinit -u -D;"\
" compadd() { if [[ \${(j: :)@} != *-[OAD]* ]]; then local -a w;"\
" builtin compadd -O w \"\$@\"; (( \$#w )) && print -rl -- \$w >> \$OTZ_OUT; fi;"\
" builtin compadd \"\$@\"; }; print OTZ''READY"
zpty -r z out '*OTZREADY*' || { print -u2 "complete.zsh: failed at line $LINENO"; exit 2; }
integer i=0
for line in "$@"; do
	(( i++ ))
	: > $tmp/$i
	zpty -w z "OTZ_OUT=${(q)tmp}/$i"
	zpty -w -n z "$line"$'\t'
	# ^E^U clears what was typed; the marker comes when the completion is over.
	zpty -w z $'\C-e\C-u'"print OTZ''DONE$i"
	zpty -r z out "*OTZDONE$i*" || { print -u2 "complete.zsh: failed at line $LINENO"; exit 2; }
	print -r -- "=== $line"
	cat -- $tmp/$i
	# What a completion function says when it is wrong reaches the terminal.
	if [[ $out == *(_arguments|_describe|_values|_files|comparguments|compdescribe|compvalues):* ]]; then
		out=${out//$'\e'\[[0-9;?]#[a-zA-Z]/}
		print -r -- "error: ${out//$'\r'/}"
	fi
done
# Hang up on the shell; what it answers to that is not the run's status.
zpty -d z
exit 0
