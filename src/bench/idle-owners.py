#!/usr/bin/env python3
"""Who holds what one idle connection keeps, from a heap dump (no Eclipse MAT needed).

    python3 src/bench/idle-owners.py DUMP.hprof N HISTOGRAM.txt

DUMP.hprof: `jcmd PID GC.heap_dump FILE` taken while N idle WebSocket connections are held (for instance
with `node src/bench/node/loadgen.mjs idle ... --while "jcmd PID GC.heap_dump FILE"`); HISTOGRAM.txt: a
`jcmd PID GC.class_histogram` of the same server (idle-histogram.sh's after.txt), for the classes'
instance sizes (the dump does not tell them). Prints, per connection, the objects reachable from the
GC roots only through a per-connection object (an "anchor": Parley's engine session, socket, client
and transport; Tyrus's session, web socket and connection; Grizzly's connection; the NIO key and
channel), each attributed to the first anchor class, in that order, that reaches it; then the strings
they hold, with samples. Objects that shared indexes hold (map nodes, the timer's tasks) are reachable
without an anchor and are not counted: compare the total with the histogram's. A small HPROF reader
(format 1.0.2, 8-byte ids, compressed-oops sizes for arrays).
"""

import collections
import re
import struct
import sys

BASIC = {2: 'obj', 4: 'boolean', 5: 'char', 6: 'float', 7: 'double', 8: 'byte', 9: 'short', 10: 'int', 11: 'long'}
SIZES = {4: 1, 5: 2, 6: 4, 7: 8, 8: 1, 9: 2, 10: 4, 11: 8}
PRIM_NAME = {4: '[Z', 5: '[C', 6: '[F', 7: '[D', 8: '[B', 9: '[S', 10: '[I', 11: '[J'}

def load(path):
    data = open(path, 'rb').read()
    end = data.index(b'\0')
    pos = end + 1
    idsize = struct.unpack('>I', data[pos:pos + 4])[0]; pos += 12
    assert idsize == 8
    strings = {}
    classname = {}  # class obj id -> name
    classinfo = {}  # class id -> (super, [(name, type)], static refs [(name,id)])
    objclass = {}   # obj id -> class id or prim name
    objsize = {}
    refs = {}       # obj id -> list of (fieldname, target)
    roots = {}
    Q = struct.Struct('>Q')
    n = len(data)
    instances = []  # (id, classid, bytes)
    BYTES = {}
    while pos < n:
        tag = data[pos]; length = struct.unpack('>I', data[pos + 5:pos + 9])[0]; pos += 9
        body_end = pos + length
        if tag == 0x01:
            sid = Q.unpack_from(data, pos)[0]
            strings[sid] = data[pos + 8:body_end].decode('utf-8', 'replace')
        elif tag == 0x02:
            _, cid, _, nid = struct.unpack_from('>IQIQ', data, pos)
            classname[cid] = strings.get(nid, '?').replace('/', '.')
        elif tag in (0x0c, 0x1c):
            p = pos
            while p < body_end:
                st = data[p]; p += 1
                if st == 0xff: roots[Q.unpack_from(data, p)[0]] = 'unknown'; p += 8
                elif st == 0x01: roots[Q.unpack_from(data, p)[0]] = 'jni global'; p += 16
                elif st == 0x02: roots[Q.unpack_from(data, p)[0]] = 'jni local'; p += 16
                elif st == 0x03: roots[Q.unpack_from(data, p)[0]] = 'java frame'; p += 16
                elif st == 0x04: roots[Q.unpack_from(data, p)[0]] = 'native stack'; p += 12
                elif st == 0x05: roots[Q.unpack_from(data, p)[0]] = 'sticky class'; p += 8
                elif st == 0x06: roots[Q.unpack_from(data, p)[0]] = 'thread block'; p += 12
                elif st == 0x07: roots[Q.unpack_from(data, p)[0]] = 'monitor used'; p += 8
                elif st == 0x08: roots[Q.unpack_from(data, p)[0]] = 'thread object'; p += 16
                elif st == 0x20:
                    cid = Q.unpack_from(data, p)[0]; p += 8
                    p += 4; sup = Q.unpack_from(data, p)[0]; p += 8
                    p += 8 * 5  # loader signers domain reserved reserved
                    isize = struct.unpack_from('>I', data, p)[0]; p += 4
                    ncp = struct.unpack_from('>H', data, p)[0]; p += 2
                    for _ in range(ncp):
                        p += 2; t = data[p]; p += 1; p += 8 if t == 2 else SIZES[t]
                    nst = struct.unpack_from('>H', data, p)[0]; p += 2
                    statics = []
                    for _ in range(nst):
                        nm = Q.unpack_from(data, p)[0]; p += 8; t = data[p]; p += 1
                        if t == 2:
                            statics.append((strings.get(nm, '?'), Q.unpack_from(data, p)[0])); p += 8
                        else:
                            p += SIZES[t]
                    nf = struct.unpack_from('>H', data, p)[0]; p += 2
                    fields = []
                    for _ in range(nf):
                        nm = Q.unpack_from(data, p)[0]; t = data[p + 8]; p += 9
                        fields.append((strings.get(nm, '?'), t))
                    classinfo[cid] = (sup, fields, statics, isize)
                elif st == 0x21:
                    oid = Q.unpack_from(data, p)[0]; p += 12
                    cid = Q.unpack_from(data, p)[0]; p += 8
                    ln = struct.unpack_from('>I', data, p)[0]; p += 4
                    instances.append((oid, cid, p, ln))
                    p += ln
                elif st == 0x22:
                    oid = Q.unpack_from(data, p)[0]; p += 12
                    cnt = struct.unpack_from('>I', data, p)[0]; p += 4
                    cid = Q.unpack_from(data, p)[0]; p += 8
                    objclass[oid] = cid
                    objsize[oid] = 16 + 4 * cnt  # compressed oops estimate
                    els = struct.unpack_from('>%dQ' % cnt, data, p); p += 8 * cnt
                    refs[oid] = [('[%d]' % i, e) for i, e in enumerate(els) if e]
                elif st == 0x23:
                    oid = Q.unpack_from(data, p)[0]; p += 12
                    cnt = struct.unpack_from('>I', data, p)[0]; p += 4
                    t = data[p]; p += 1
                    objclass[oid] = PRIM_NAME[t]
                    objsize[oid] = 16 + SIZES[t] * cnt
                    if t == 8 and cnt < 200: BYTES[oid] = data[p:p+cnt]
                    p += SIZES[t] * cnt
                else:
                    raise Exception('subtag %x at %d' % (st, p))
        pos = body_end
    # resolve instance fields
    flat = {}
    def allfields(cid):
        if cid in flat: return flat[cid]
        out = []
        c = cid
        while c and c in classinfo:
            out.extend(classinfo[c][1]); c = classinfo[c][0]
        flat[cid] = out
        return out
    for oid, cid, p, ln in instances:
        objclass[oid] = cid
        objsize[oid] = classinfo[cid][3] if cid in classinfo else ln
        r = []
        for nm, t in allfields(cid):
            if t == 2:
                v = Q.unpack_from(data, p)[0]; p += 8
                if v: r.append((nm, v))
            else:
                p += SIZES[t]
        refs[oid] = r
    for cid, (sup, fields, statics, isize) in classinfo.items():
        objclass.setdefault(cid, 'CLASS')
        refs[cid] = [('static ' + nm, v) for nm, v in statics if v]
    def cname(oid):
        c = objclass.get(oid)
        if isinstance(c, str): return c if c != 'CLASS' else 'class ' + classname.get(oid, '?')
        nm = classname.get(c, '?')
        return nm
    return dict(bytes=BYTES, objclass=objclass, objsize=objsize, refs=refs, roots=roots, classname=classname, cname=cname)


h = load(sys.argv[1]); N = int(sys.argv[2]); hist = sys.argv[3]
sizes = {}
for line in open(hist):
    m = re.match(r"\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)", line)
    if m: sizes[m.group(3)] = int(m.group(2)) / int(m.group(1))
objclass, refs, cname = h['objclass'], h['refs'], h['cname']
ANCH = ['dev.parley.engine.EngineSession', 'dev.parley.server.Socket', 'dev.parley.server.Client',
        'dev.parley.transport.websocket.WebSocketTransport', 'org.glassfish.tyrus.core.TyrusSession',
        'org.glassfish.tyrus.core.TyrusWebSocket', 'org.glassfish.tyrus.core.TyrusWebSocketEngine$TyrusConnection',
        'org.glassfish.grizzly.nio.transport.TCPNIOConnection', 'sun.nio.ch.SelectionKeyImpl', 'sun.nio.ch.SocketChannelImpl']
names = {o: cname(o) for o in objclass}
anchors = {o for o, c in names.items() if c in ANCH}
def size(o):
    c = names[o]
    if c.startswith('[') :
        if c in ('[Z','[B'): e=1
        elif c in ('[C','[S'): e=2
        elif c in ('[J','[D'): e=8
        else: e=4
        n = len(refs.get(o, ())) if c not in ('[Z','[B','[C','[S','[I','[F','[J','[D') else (h['objsize'][o]-16)//(e if e else 1)
        if c.startswith('[L') or c.startswith('[['):
            n = (h['objsize'][o]-16)//4
        return (16 + e*n + 7)//8*8
    return sizes.get(c, 16)
# everything reachable from the GC roots (and classes' statics) without passing through an anchor
seen = set()
stack = [r for r in h['roots'] if r in objclass and r not in anchors]
# classes are roots too (statics)
stack += [o for o, c in objclass.items() if c == 'CLASS']
while stack:
    o = stack.pop()
    if o in seen: continue
    seen.add(o)
    for f, t in refs.get(o, ()):
        if t in objclass and t not in seen and t not in anchors: stack.append(t)
owner = {}
# from each anchor class in turn, in ANCH's order, what only anchors reach
for cls in ANCH:
    frontier = [a for a in anchors if names[a] == cls]
    for a in frontier: owner.setdefault(a, cls)
    st = list(frontier)
    while st:
        o = st.pop()
        for f, t in refs.get(o, ()):
            if t in objclass and t not in seen and t not in owner and t not in anchors:
                owner[t] = cls; st.append(t)
tot = collections.defaultdict(lambda: [0, 0])
bycls = collections.defaultdict(lambda: collections.defaultdict(lambda: [0, 0]))
for o, cls in owner.items():
    s = size(o); tot[cls][0] += 1; tot[cls][1] += s
    bycls[cls][names[o]][0] += 1; bycls[cls][names[o]][1] += s
grand = sum(v[1] for v in tot.values())
print('owned per connection: %.1f B' % (grand / N))
for cls in ANCH:
    print('%-70s %7.1f B %6.2f objs' % (cls, tot[cls][1] / N, tot[cls][0] / N))
    for c, (n, s) in sorted(bycls[cls].items(), key=lambda kv: -kv[1][1]):
        if s / N >= 4: print('      %7.1f B %6.2f  %s' % (s / N, n / N, c))
# strings owned per connection: value samples by owner and referrer field
back = collections.defaultdict(list)
for o, rs in refs.items():
    for f, t in rs:
        if t in owner and names.get(t) == 'java.lang.String': back[t].append((names[o], f))
samp = collections.defaultdict(list)
for o, cls in owner.items():
    if names[o] == 'java.lang.String':
        val = None
        for f, t in refs[o]:
            if f == 'value': val = h['bytes'].get(t)
        key = (cls, tuple(sorted(set('%s.%s' % x for x in back[o]))))
        samp[key].append(val)
for k, v in sorted(samp.items(), key=lambda kv: -len(kv[1])):
    print('%6.2f' % (len(v) / N), k, v[:2])
