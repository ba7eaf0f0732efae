#!/usr/bin/env python3
"""Where a JFR recording's CPU samples (jdk.ExecutionSample) went, by thread and by the JDBC call the application made.

    jfr print --events jdk.ExecutionSample --stack-depth 128 rec.jfr > rec.txt
    AFTER=13:22:25 python3 benchmarks/jfr-by-call.py rec.txt [TOP]

AFTER (HH:MM:SS, optional) keeps the samples taken from then on (the measured rounds, not the warm-up). Each sample is
owned by the nearest frame, from the leaf up, that is not the JDK's: governance (io.governed, its Jackson included),
pgjdbc, HikariCP or the application (the benchmarks). On the callers' threads it is also put under the first call
below the application's frames (GovernedConnection.prepareStatement, GovernedResultSet.close, ...). JFR samples Java
code only: the kernel's part of a write or a force, and the JIT's and the GC's threads, are not in it (Interleaved's
-Dthreads=true gives those as CPU per transaction).
"""
import collections
import os
import re
import sys

AFTER = os.environ.get('AFTER', '')


def samples(path):
    thread, frames, in_stack, ts = None, [], False, ''
    for line in open(path, errors='replace'):
        s = line.strip()
        if s.startswith('jdk.ExecutionSample'):
            thread, frames, ts = None, [], ''
        elif s.startswith('startTime ='):
            ts = s.split('=')[1].strip()
        elif s.startswith('sampledThread ='):
            m = re.search(r'"(.*)"', s)
            thread = m.group(1) if m else s
        elif s.startswith('stackTrace = ['):
            in_stack = True
        elif in_stack:
            if s.startswith(']'):
                in_stack = False
                if ts >= AFTER:
                    yield thread, frames
            elif s != '...':
                frames.append(re.sub(r'\s+line:.*', '', s))


def owner(frame):
    if frame.startswith('io.governed.benchmarks') or frame.startswith('TpccCalls') or frame.startswith('Interleaved'):
        return 'application'
    if frame.startswith('io.governed') or frame.startswith('com.fasterxml'):
        return 'governance'
    if frame.startswith('org.postgresql'):
        return 'pgjdbc'
    if frame.startswith('com.zaxxer'):
        return 'hikari'
    return None


def main():
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    by_thread, by_call, governance = collections.Counter(), collections.Counter(), collections.Counter()
    for thread, frames in samples(sys.argv[1]):
        group = re.sub(r'[-#]?\d+$', '', thread or '?')
        own = next((o for o in map(owner, frames) if o), 'jdk')
        by_thread[(group, own)] += 1
        call = '(none)'
        for i in range(len(frames) - 1, 0, -1):
            if owner(frames[i]) == 'application' and owner(frames[i - 1]) != 'application':
                call = frames[i - 1].split('(')[0]
        if call != '(none)':
            by_call[(call, own)] += 1
        if own == 'governance':
            governance[next(f.split('(')[0] for f in frames if owner(f) == 'governance')] += 1
    for title, counter in (('thread, owner', by_thread), ('application call, owner', by_call),
                           ('governance frame nearest the leaf', governance)):
        print('== samples by ' + title)
        for key, n in counter.most_common(top):
            print(f'{n:7d} {key}')


if __name__ == '__main__':
    main()
