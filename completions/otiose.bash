# bash completion for otiose; installed as
# PREFIX/share/bash-completion/completions/otiose, or read with
# `source completions/otiose.bash`.  It needs nothing from the
# bash-completion package.  The options are those of each command's
# option table in cli/ (tests/test_install.c checks them against --help).

_otiose_families="engineering data product sales marketing customer people finance legal
operations hardware science health public trades retail education executive"

_otiose_files()
{
	compopt -o filenames 2>/dev/null
	COMPREPLY=($(compgen -f -- "$1"))
}

_otiose_dirs()
{
	compopt -o filenames 2>/dev/null
	COMPREPLY=($(compgen -d -- "$1"))
}

_otiose()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local cmd=${COMP_WORDS[1]} sub="" opts="" IFS=$' \t\n'
	COMPREPLY=()
	if ((COMP_CWORD == 1)); then
		COMPREPLY=($(compgen -W "translate batch corpus specimens rules bench help version
			--help --version" -- "$cur"))
		return
	fi
	if [[ $cmd == corpus || $cmd == rules ]]; then
		sub=${COMP_WORDS[2]}
		if ((COMP_CWORD == 2)); then
			if [[ $cmd == corpus ]]; then
				COMPREPLY=($(compgen -W "build import add --help" -- "$cur"))
			else
				COMPREPLY=($(compgen -W "check stats --help" -- "$cur"))
			fi
			return
		fi
	fi

	# The value of the option before the cursor.
	case $prev in
	-f | --format)
		if [[ $cmd == specimens && " ${COMP_WORDS[*]:2:COMP_CWORD-2} " != *" show "* ]]; then
			COMPREPLY=($(compgen -W "text json" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "text json md html" -- "$cur"))
		fi
		return ;;
	--input-format)
		COMPREPLY=($(compgen -W "txt md html json" -- "$cur"))
		return ;;
	--delimiter)
		# The marks as the shell needs them typed: \; and \| (or quoted).
		COMPREPLY=($(compgen -W "tab , '\\;' '\\|'" -- "$cur"))
		return ;;
	--color | --colour)
		COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
		return ;;
	--family)
		COMPREPLY=($(compgen -W "$_otiose_families" -- "$cur"))
		return ;;
	--db | --csv)
		_otiose_files "$cur"
		return ;;
	--rules | --corpus | -w | --write)
		_otiose_dirs "$cur"
		return ;;
	-o | --output)
		if [[ $cmd == batch ]]; then _otiose_dirs "$cur"; else _otiose_files "$cur"; fi
		return ;;
	-t | --title | -n | --related | --max-bytes | --text-col | --title-col | -j | --jobs | --width | \
	-s | --search | --top | -g | --generate | --seed | --threads | -r | --runs)
		return ;;
	esac

	case $cmd in
	translate)
		opts="--format --title --related --lossy --max-bytes --input-format --db --color
			--colour --width --show-rules --jsonl --csv --text-col --title-col --delimiter
			--help" ;;
	batch)
		opts="--output --format --jobs --force --quiet --lossy --input-format --db --csv
			--text-col --title-col --delimiter --max-bytes --show-rules --follow-links
			--help" ;;
	corpus)
		case $sub in
		build) opts="--rules --corpus --output --quiet --fix-related --help" ;;
		import) opts="--output --partial --max-bytes --help" ;;
		add) opts="--title --corpus --db --input-format --help" ;;
		esac ;;
	specimens)
		opts="--search --family --format --db --help" ;;
	rules)
		case $sub in
		check) opts="--help" ;;
		stats) opts="--top --db --input-format --help" ;;
		esac ;;
	bench)
		opts="--generate --seed --write --threads --runs --no-prefilter --json --input-format
			--db --help" ;;
	help)
		if ((COMP_CWORD == 2)); then
			COMPREPLY=($(compgen -W "translate batch corpus specimens rules bench help
				version" -- "$cur"))
		elif ((COMP_CWORD == 3)) && [[ ${COMP_WORDS[2]} == corpus ]]; then
			COMPREPLY=($(compgen -W "build import add" -- "$cur"))
		elif ((COMP_CWORD == 3)) && [[ ${COMP_WORDS[2]} == rules ]]; then
			COMPREPLY=($(compgen -W "check stats" -- "$cur"))
		fi
		return ;;
	*)
		return ;;
	esac

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		return
	fi
	# The arguments: files, folders, or show's NAME.
	case $cmd${sub:+ $sub} in
	batch | bench | "rules stats")
		_otiose_dirs "$cur" ;;
	specimens)
		local w
		for w in "${COMP_WORDS[@]:2:COMP_CWORD-2}"; do
			[[ $w == show ]] && return
		done
		COMPREPLY=($(compgen -W "show" -- "$cur")) ;;
	*)
		_otiose_files "$cur" ;;
	esac
}

complete -F _otiose otiose
