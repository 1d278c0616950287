# fish completion for vmmap(1)

function __fish_vmmap_columns
    printf '%s\t%s\n' \
        START 'start address' \
        END 'end address (exclusive)' \
        PERMS 'permissions: rwx and s or p' \
        OFFSET 'offset into the mapped file' \
        DEV 'device of the mapped file' \
        INODE 'inode of the mapped file' \
        SIZE 'size of the region' \
        RSS 'resident set size' \
        PSS 'proportional set size' \
        PSS_DIRTY 'proportional size of dirty pages' \
        SHARED_CLEAN 'clean pages shared with other processes' \
        SHARED_DIRTY 'dirty pages shared with other processes' \
        PRIVATE_CLEAN 'clean pages mapped only here' \
        PRIVATE_DIRTY 'dirty pages mapped only here' \
        DIRTY 'dirty pages, shared and private' \
        USS 'unique set size' \
        REFERENCED 'pages marked referenced or accessed' \
        ANONYMOUS 'anonymous pages' \
        KSM 'pages merged by KSM' \
        LAZYFREE 'pages freed with MADV_FREE, not yet reclaimed' \
        ANONHUGE 'anonymous transparent huge pages' \
        SHMEMPMD 'shared memory mapped with huge pages' \
        FILEPMD 'file pages mapped with huge pages' \
        SHARED_HUGETLB 'shared hugetlbfs pages' \
        PRIVATE_HUGETLB 'private hugetlbfs pages' \
        SWAP 'swapped out' \
        SWAPPSS 'proportional share of swap' \
        LOCKED 'locked in memory' \
        KPAGESIZE 'kernel page size of the region' \
        KIND 'what the region is' \
        DETAIL 'more about the kind' \
        PATH 'mapped file or kernel name' \
        IMAGE 'the ELF image the region belongs to' \
        SECTIONS 'ELF sections in the region' \
        TID 'thread owning the region' \
        DELETED 'the mapped file was deleted' \
        VMFLAGS 'kernel VMA flags' \
        DUMPED 'bytes a core file holds' \
        NUMA 'resident bytes per NUMA node' \
        NUMA_POLICY 'the NUMA memory policy' \
        PRESENT '--pages: pages in RAM' \
        SWAPPED '--pages: pages swapped out' \
        EXCLUSIVE '--pages: pages mapped only here' \
        HUGE '--pages: pages in huge pages' \
        GUARD '--pages: guard pages' \
        PHYS_DIRTY '--pages, root: dirty pages' \
        PHYS_ACTIVE '--pages, root: pages on the active LRU' \
        PHYS_SHARED '--pages, root: pages mapped more than once' \
        PHYS_UNEVICTABLE '--pages, root: unevictable pages' \
        RESIDENCY '--pages: present/swapped/untouched strip' \
        PID '--all: process ID' \
        USER '--all: effective user' \
        COMM '--all: command name' \
        REGIONS '--all: number of mappings' \
        CODE '--all: PSS of code' \
        DATA '--all: PSS of rodata, relro, data and bss' \
        HEAP '--all: PSS of the heap' \
        STACK '--all: PSS of the stacks' \
        ANON '--all: PSS of other anonymous memory' \
        FILE '--all: PSS of mapped files' \
        SHM '--all: PSS of shared memory' \
        OTHER '--all: PSS of guard, device, vdso, vvar and other' \
        REASON '--all: why the process could not be read'
end

function __fish_vmmap_kinds
    printf '%s\t%s\n' \
        code 'executable part of an ELF image' \
        rodata 'read-only part of an ELF image' \
        relro 'data made read-only after relocation' \
        data 'writable part of an ELF image' \
        bss 'anonymous tail holding .bss' \
        heap 'the brk heap' \
        stack 'the main thread stack' \
        thread_stack 'another thread stack' \
        guard 'no-access region' \
        anon 'other private anonymous memory' \
        file 'other file mappings' \
        shm 'shared memory' \
        device 'mappings of device files' \
        vdso 'the kernel vDSO page' \
        vvar 'the kernel vvar pages' \
        vsyscall 'the legacy vsyscall page' \
        other 'anything not recognised'
end

# __fish_vmmap_names columns|kinds ITEM: the names, written in the case ITEM
# is typed in (vmmap takes names in any case).
function __fish_vmmap_names --argument-names what item
    __fish_vmmap_$what | while read -l --delimiter \t name desc
        if string match -q -r -- '[[:lower:]]' $item
            set name (string lower -- $name)
        else if string match -q -r -- '[[:upper:]]' $item
            set name (string upper -- $name)
        end
        printf '%s\t%s\n' $name $desc
    end
end

# __fish_vmmap_list columns|kinds [+]: complete the last item of the
# comma-separated list in the current token, leaving out the items already
# given; with "+", the list may start with '+' (-o +LIST adds to the
# default columns).
function __fish_vmmap_list --argument-names what plus
    set -l tok (commandline -ct)
    set -l lead ''
    if test "$plus" = +; and string match -q -- '+*' $tok
        set lead +
        set tok (string sub -s 2 -- $tok)
    end
    set -l last (string replace -r -- '^.*,' '' $tok)
    set -l prefix (string replace -r -- '[^,]*$' '' $tok)
    set -l used (string split -n , -- (string upper -- $prefix))
    __fish_vmmap_names $what $last | while read -l --delimiter \t name desc
        contains -- (string upper -- $name) $used; and continue
        printf '%s%s%s\t%s\n' $lead $prefix $name $desc
    end
end

# __fish_vmmap_processes: PIDs (described by their name), process names and
# /proc/PID under /proc, or under the --sysroot given on the line. Never
# kernel threads (PF_KTHREAD, 0x00200000, in field 9 of stat); in the live
# /proc, only processes whose executable this user can see, the ones vmmap
# can read. A name with blanks is left out, as bash cannot offer it as one
# word.
function __fish_vmmap_processes
    set -l root ''
    set -l words (commandline -opc)
    for i in (seq 2 (count $words))
        switch $words[$i]
            case --sysroot
                set -q words[(math $i + 1)]
                and set root $words[(math $i + 1)]
            case '--sysroot=*'
                set root (string replace -- --sysroot= '' $words[$i])
        end
    end
    set -l dirs $root/proc/*
    set dirs (string match -r -- '^.*/proc/[0-9]+$' $dirs)
    if test -z "$root"
        set dirs (for d in $dirs; test -e $d/exe; and echo $d; end)
    end
    set -q dirs[1]; or return
    # awk reads the files: fish would report the ones that vanish. Each
    # process gives "PID<TAB>NAME"; the name is empty when unusable.
    set -l procs (command awk '
        BEGIN {
            for (i = 1; i < ARGC; i++) {
                d = ARGV[i]
                stat = ""
                while ((getline line < (d "/stat")) > 0)
                    stat = stat line "\n"
                close(d "/stat")
                # the fields after "(comm) ", comm being anything
                sub(/^.*\) /, "", stat)
                split(stat, f, " ")
                if (f[7] ~ /^[0-9]+$/ && int(f[7] / 2097152) % 2)
                    continue
                name = ""
                if ((getline name < (d "/comm")) <= 0 ||
                    (getline line < (d "/comm")) > 0 || name ~ /[[:space:]]/)
                    name = ""
                close(d "/comm")
                pid = d
                sub(/^.*\//, "", pid)
                print pid "\t" name
            }
        }' $dirs 2>/dev/null)
    if string match -q -- '/*' (commandline -ct)
        string replace -r -- '^' /proc/ $procs
        return
    end
    printf '%s\n' $procs
    set -l names (string replace -r -- '^[^\t]*\t' '' $procs | string match -v -- '' | sort -u)
    set -q names[1]; and printf '%s\tprocess name\n' $names
end

complete -c vmmap -f
complete -c vmmap -s J -l json -d 'Print a JSON document (schema 1)'
complete -c vmmap -s s -l summary -d 'Print only the summary by kind and the totals'
complete -c vmmap -s T -l by-image -d 'Group regions under the ELF image they belong to'
complete -c vmmap -s L -l layout -d 'Draw the address space as the textbooks do'
complete -c vmmap -s P -l pages -d 'Read the page tables: present, swapped, shared pages'
complete -c vmmap -s A -l addr -x -d 'What these addresses are (hex, comma-separated)'
complete -c vmmap -s K -l kernel -d 'The kernel half, physical memory and zones'
complete -c vmmap -s w -l watch -d 'Follow one process live'
complete -c vmmap -l interval -x -d 'Seconds between samples of --watch'
complete -c vmmap -l iterations -x -d 'Stop --watch after n samples'
complete -c vmmap -s o -l output -x -a '(__fish_vmmap_list columns +)' -d 'Columns to print'
complete -c vmmap -l output-all -d 'Print all columns'
complete -c vmmap -s H -l list-columns -d 'List the columns and exit'
complete -c vmmap -s x -l sort -x -a '(__fish_vmmap_names columns (commandline -ct))' -d 'Sort regions by a column'
complete -c vmmap -s k -l kind -x -a '(__fish_vmmap_list kinds)' -d 'Only regions of these kinds'
complete -c vmmap -s R -l range -x -d 'Only regions overlapping START,END (hex)'
complete -c vmmap -s r -l raw -d 'Raw output: no alignment, escaped values'
complete -c vmmap -s n -l noheadings -d 'Do not print headings'
complete -c vmmap -s b -l bytes -d 'Print sizes in bytes'
complete -c vmmap -l color -f -a 'auto always never' -d 'Colour by kind'
complete -c vmmap -l width -x -d 'Fit tables to n columns'
complete -c vmmap -l sysroot -x -a '(__fish_complete_directories (commandline -ct))' -d 'Read DIR/proc instead of /proc'
complete -c vmmap -s a -l all -d 'Every process: one row each, and their sums'
complete -c vmmap -l user -x -a '(__fish_complete_users)' -d 'Only processes of this user'
complete -c vmmap -l top -x -d 'Only the first n rows'
complete -c vmmap -l openmetrics -d 'Metrics for Prometheus (text format, OpenMetrics)'
complete -c vmmap -l by-comm -d 'Metrics summed by command name, not by PID'
complete -c vmmap -l accurate -d 'Read the ELF images (bss apart from anon)'
complete -c vmmap -l diff -r -F -d 'Compare with a saved snapshot or core'
complete -c vmmap -l all-regions -d 'With --diff: the unchanged regions too'
complete -c vmmap -l force -d 'With --diff: compare two different processes'
complete -c vmmap -l numa -d 'Where the pages are by NUMA node, and the policy'
complete -c vmmap -l output-file -r -F -d 'Write to a file by rename'
complete -c vmmap -l capture -x -a '(__fish_complete_directories (commandline -ct))' -d 'Copy a live process into a new directory (bug reports)'
complete -c vmmap -s h -l help -d 'Display help'
complete -c vmmap -s V -l version -d 'Display version'

# Processes: PIDs, names and /proc/PID; a path: a core file
complete -c vmmap -n 'not string match -q -- "-*" (commandline -ct)' -a '(__fish_vmmap_processes)'
complete -c vmmap -n 'string match -q -- "*/*" (commandline -ct); and not string match -q -- "/proc/*" (commandline -ct)' -F
