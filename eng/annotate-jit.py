#!/usr/bin/env python3
"""Where inside one JIT-compiled method the CPU samples of a `perf record` run land, instruction by instruction.

Record with the runtime's perf map, with W^X off (otherwise JIT code runs from an anonymous double mapping that perf
can not name), and the method's listing written by the JIT in the same run:

    DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 \
    DOTNET_JitDisasm='Route' DOTNET_JitDisasmWithCodeBytes=1 DOTNET_JitStdOutFile=/tmp/disasm.txt \
    perf record -F 4000 -o /tmp/run.data dotnet <program.dll> <args>

then

    python3 eng/annotate-jit.py /tmp/run.data 'PartitionWorker::Route' 'PartitionWorker:Route' /tmp/disasm.txt

The second argument is part of the method's name in the perf map, the third part of its title in the JIT's listing.
The last Tier1 version of the method is used. A sample lands on the instruction after the one that stalled (skid), so
read a hot line together with the one above it: on this project's hot paths those are `lock`-prefixed instructions.
"""
import bisect
import collections
import re
import subprocess
import sys


def main(data, map_symbol, listing_title, listing_path):
    script = subprocess.run(['perf', 'script', '--hide-call-graph', '-i', data, '-F', 'pid,ip'], capture_output=True, text=True, check=True)
    rows = [line.split() for line in script.stdout.splitlines() if len(line.split()) >= 2]
    pid = collections.Counter(row[0] for row in rows).most_common(1)[0][0]
    methods = []
    with open(f'/tmp/perf-{pid}.map', encoding='utf-8') as perf_map:
        for line in perf_map:
            address, size, name = line.rstrip('\n').split(' ', 2)
            if map_symbol in name and '[OptimizedTier1]' in name:
                methods.append((int(address, 16), int(size, 16), name))
    if not methods:
        sys.exit(f'no Tier1 method matching {map_symbol!r} in /tmp/perf-{pid}.map')
    start, size, name = methods[-1]
    samples = collections.Counter()
    for row in rows:
        ip = int(row[1], 16)
        if start <= ip < start + size:
            samples[ip - start] += 1
    in_method = sum(samples.values()) or 1
    print(f'{name}: {in_method} of {len(rows)} samples ({100 * in_method / len(rows):.1f}%)')

    with open(listing_path, encoding='utf-8') as listing_file:
        lines = listing_file.read().split('\n')
    titles = [i for i, line in enumerate(lines) if line.startswith('; Assembly listing') and listing_title in line and '(Tier1)' in line]
    if not titles:
        sys.exit(f'no Tier1 listing titled {listing_title!r} in {listing_path}')
    offset, instructions = 0, []
    for line in lines[titles[-1] + 1:]:
        if line.startswith('; Assembly listing'):
            break
        block = re.search(r';; offset=0x([0-9A-F]+)', line)
        if block:
            offset = int(block.group(1), 16)
            instructions.append((None, line.strip()))
            continue
        code = re.match(r'\s+([0-9A-F]+)\s{2,}(.*)', line)
        if code and len(code.group(1)) % 2 == 0:
            instructions.append((offset, code.group(2)))
            offset += len(code.group(1)) // 2
    offsets = [o for o, _ in instructions if o is not None]
    per_instruction = collections.Counter()
    for sample_offset, count in samples.items():
        index = bisect.bisect_right(offsets, sample_offset) - 1
        if index >= 0:
            per_instruction[offsets[index]] += count
    for o, text in instructions:
        if o is None:
            print(text)
        else:
            share = per_instruction.get(o, 0) / in_method
            print(f'{100 * share:5.1f}% {o:5x}  {text}' if share else f'       {o:5x}  {text}')


if __name__ == '__main__':
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(*sys.argv[1:])
