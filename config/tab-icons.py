#!/usr/bin/env python3
"""Draws the four tab bar icons (81x81 PNG, grey and theme red) into src/assets/tab.

Plain shapes with 4x supersampling; no dependencies beyond the standard library.
Run: python3 config/tab-icons.py
"""
import os
import struct
import zlib

SIZE = 81
SS = 4
GREY = (143, 149, 158)
RED = (232, 71, 60)
OUT = os.path.join(os.path.dirname(__file__), '..', 'src', 'assets', 'tab')


def inside_home(x, y):
    # roof triangle + body square with a door cut out
    if 14 <= y <= 40 and abs(x - 40.5) <= (y - 14) * 1.05 and not (y > 20 and abs(x - 40.5) <= (y - 20) * 1.05 - 6):
        return True
    if 36 <= y <= 66 and 20 <= x <= 61:
        if 42 <= y and 35 <= x <= 46:
            return False
        return not (40 <= y <= 62 and 25 <= x <= 56 and not (y >= 60)) or (x < 25 or x > 56)
    return False


def inside_category(x, y):
    for cx, cy in ((18, 18), (44, 18), (18, 44), (44, 44)):
        if cx <= x <= cx + 19 and cy <= y <= cy + 19:
            inner = cx + 4 <= x <= cx + 15 and cy + 4 <= y <= cy + 15
            return not inner
    return False


def inside_queue(x, y):
    # three people-bars of decreasing height = a queue
    for bx, top in ((14, 22), (34, 32), (54, 42)):
        if bx <= x <= bx + 13:
            if top <= y <= 66:
                return True
            if (x - (bx + 6.5)) ** 2 + (y - (top - 8)) ** 2 <= 30:
                return True
    return False


def inside_me(x, y):
    d_head = (x - 40.5) ** 2 + (y - 28) ** 2
    if 90 <= d_head <= 196:
        return True
    if y >= 48 and y <= 68:
        d = ((x - 40.5) / 26) ** 2 + ((y - 70) / 22) ** 2
        d_in = ((x - 40.5) / 20) ** 2 + ((y - 72) / 17) ** 2
        return d <= 1 and (d_in > 1 or y > 66)
    return False


def png(path, fn, color):
    rows = []
    for py in range(SIZE):
        row = bytearray([0])
        for px in range(SIZE):
            hits = 0
            for sy in range(SS):
                for sx in range(SS):
                    if fn(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS):
                        hits += 1
            a = round(255 * hits / (SS * SS))
            row += bytes((*color, a))
        rows.append(bytes(row))
    raw = zlib.compress(b''.join(rows), 9)

    def chunk(tag, data):
        return struct.pack('>I', len(data)) + tag + data + struct.pack('>I', zlib.crc32(tag + data) & 0xFFFFFFFF)

    with open(path, 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n')
        f.write(chunk(b'IHDR', struct.pack('>IIBBBBB', SIZE, SIZE, 8, 6, 0, 0, 0)))
        f.write(chunk(b'IDAT', raw))
        f.write(chunk(b'IEND', b''))


os.makedirs(OUT, exist_ok=True)
for name, fn in (('home', inside_home), ('category', inside_category), ('queue', inside_queue), ('me', inside_me)):
    png(os.path.join(OUT, f'{name}.png'), fn, GREY)
    png(os.path.join(OUT, f'{name}-on.png'), fn, RED)
print('ok')
