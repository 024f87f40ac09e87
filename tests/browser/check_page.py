#!/usr/bin/env python3
"""check_page.py - does an HTML file render in a real browser?

Opens the page in Debian's headless chromium at a phone's size (390x844) and
at a desktop's (1280x900).  At each size it takes a screenshot and dumps the
DOM, with chromium's log on stderr, and checks that

  * the screenshot is not blank: its pixels are not all one colour, some are
    not white, and some are dark enough to be text (the PNG is decoded here
    with zlib, so nothing beyond the standard library is needed);
  * the dumped DOM holds the expected <title> (the one in the file, or
    --title) and a <body> with content;
  * the page logged no console errors ("CONSOLE" log lines that mention an
    error) and refers to no other host (no http: or https: src/href), since a
    file record must open the same offline.

It prints what it checked and exits 0 if the page rendered, 1 if a check
failed, 2 if it could not run (no chromium, a bad argument, a time-out).

usage: check_page.py [--title TITLE] [--out DIR] [--chromium PATH] PAGE.html
"""
import argparse
import html
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

SIZES = [("phone", 390, 844), ("desktop", 1280, 900)]
TIMEOUT = 120  # seconds for one chromium run; a first start can be slow

# The flags the brief asks for: no sandbox (the tests may run as root), no
# GPU, and nothing that would make chromium talk to the network on its own.
BASE_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
    "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--hide-scrollbars",
    "--enable-logging=stderr", "--v=0",
]


class CheckFailed(Exception):
    """A check on the page failed; the message says which and why."""


class CannotRun(Exception):
    """The check could not be run at all (no browser, time-out, bad file)."""


def find_chromium(given):
    """The chromium binary: --chromium, $CHROMIUM, or the usual names on PATH."""
    for name in [given, os.environ.get("CHROMIUM"), "chromium", "chromium-browser",
                 "google-chrome"]:
        if name:
            path = shutil.which(name)
            if path:
                return path
    raise CannotRun("chromium not found (Debian: apt-get install chromium, "
                    "or set CHROMIUM=/path/to/chromium)")


def run_chromium(chromium, extra, url, width, height):
    """Run chromium once with a fresh profile; returns (stdout bytes, stderr text)."""
    profile = tempfile.mkdtemp(prefix="otz-chromium-")
    cmd = [chromium] + BASE_FLAGS + ["--user-data-dir=" + profile,
                                     "--window-size=%d,%d" % (width, height)] + extra + [url]
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise CannotRun("chromium did not finish within %ds: %s" % (TIMEOUT, " ".join(cmd)))
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    err = p.stderr.decode("utf-8", "replace")
    if p.returncode != 0:
        raise CannotRun("chromium exited with %d:\n%s" % (p.returncode, err[-2000:]))
    return p.stdout, err


def console_errors(log):
    """Console messages of the page that report an error (script or resource)."""
    bad = []
    for line in log.splitlines():
        if "CONSOLE" in line and re.search(r"error|net::ERR_", line, re.I):
            bad.append(line.strip())
    return bad


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def decode_png(path):
    """Decode an 8-bit, non-interlaced PNG; returns (width, height, channels, rows)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise CheckFailed("%s is not a PNG file" % path)
    pos, idat, ihdr = 8, [], None
    while pos + 8 <= len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + n
    if not ihdr or not idat:
        raise CheckFailed("%s: no IHDR or IDAT chunk" % path)
    width, height, depth, ctype, _, _, interlace = ihdr
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(ctype)
    if depth != 8 or channels is None or interlace:
        raise CheckFailed("%s: unsupported PNG (depth %d, colour type %d, interlace %d)"
                          % (path, depth, ctype, interlace))
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    if len(raw) != height * (stride + 1):
        raise CheckFailed("%s: image data is %d bytes, expected %d"
                          % (path, len(raw), height * (stride + 1)))
    rows, prev = [], bytearray(stride)
    for y in range(height):
        ft = raw[y * (stride + 1)]
        cur = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        bpp = channels
        if ft == 1:
            for i in range(bpp, stride):
                cur[i] = (cur[i] + cur[i - bpp]) & 255
        elif ft == 2:
            cur = bytearray((a + b) & 255 for a, b in zip(cur, prev))
        elif ft == 3:
            for i in range(stride):
                left = cur[i - bpp] if i >= bpp else 0
                cur[i] = (cur[i] + ((left + prev[i]) >> 1)) & 255
        elif ft == 4:
            for i in range(stride):
                if i >= bpp:
                    cur[i] = (cur[i] + paeth(cur[i - bpp], prev[i], prev[i - bpp])) & 255
                else:
                    cur[i] = (cur[i] + prev[i]) & 255
        elif ft != 0:
            raise CheckFailed("%s: bad filter type %d on row %d" % (path, ft, y))
        rows.append(bytes(cur))
        prev = cur
    return width, height, channels, rows


def check_pixels(path, label):
    """Not blank: more than one colour, some non-white, some dark (text).
    `label` names the screenshot in messages (its file may be temporary)."""
    width, height, ch, rows = decode_png(path)
    colours, nonwhite, dark = set(), 0, 0
    for row in rows:
        for x in range(0, width * ch, ch):
            px = row[x:x + min(ch, 3)]
            colours.add(px)
            if ch >= 3:
                r, g, b = px[0], px[1], px[2]
            else:
                r = g = b = px[0]
            if (r, g, b) != (255, 255, 255):
                nonwhite += 1
            if r * 299 + g * 587 + b * 114 < 100 * 1000:
                dark += 1
    total = width * height
    if len(colours) < 2:
        raise CheckFailed("%s: blank, every pixel is RGB %s"
                          % (label, tuple(next(iter(colours)))))
    if nonwhite == 0:
        raise CheckFailed("%s: blank, every pixel is white" % label)
    if dark == 0:
        raise CheckFailed("%s: no dark pixels, so no text was drawn" % label)
    return "%dx%d, %d colours, %.1f%% non-white, %.1f%% dark" % (
        width, height, len(colours), 100.0 * nonwhite / total, 100.0 * dark / total)


def page_title(path):
    """The <title> written in the HTML file, unescaped."""
    with open(path, "r", encoding="utf-8", errors="replace") as f:
        m = re.search(r"<title>(.*?)</title>", f.read(), re.S | re.I)
    if not m:
        raise CheckFailed("%s has no <title>" % path)
    return html.unescape(m.group(1))


def check_dom(dom, title, where):
    # Chromium serializes text with & < > escaped (and U+00A0 as &nbsp;).
    want = "<title>%s</title>" % html.escape(title, quote=False).replace("\xa0", "&nbsp;")
    if want not in dom:
        got = re.search(r"<title>.*?</title>", dom, re.S)
        raise CheckFailed("%s: the DOM does not hold %s (it has %s)"
                          % (where, want, got.group(0) if got else "no title"))
    body = re.search(r"<body[^>]*>(.*)</body>", dom, re.S)
    if not body or not re.sub(r"<[^>]*>|\s", "", body.group(1)):
        raise CheckFailed("%s: the DOM has an empty body" % where)
    net = re.findall(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//[^"'\s>]*""", dom, re.I)
    if net:
        raise CheckFailed("%s: the page refers to other hosts: %s" % (where, ", ".join(net[:5])))


def main():
    ap = argparse.ArgumentParser(description="Check that an HTML page renders in headless "
                                             "chromium, at phone and desktop sizes.")
    ap.add_argument("page", help="the HTML file")
    ap.add_argument("--title", help="the expected <title> (default: the file's own)")
    ap.add_argument("--out", help="keep screenshots and DOM dumps in this directory")
    ap.add_argument("--chromium", help="the chromium binary")
    a = ap.parse_args()
    out = a.out or tempfile.mkdtemp(prefix="otz-page-")
    try:
        if not os.path.isfile(a.page):
            raise CannotRun("no such file: %s" % a.page)
        chromium = find_chromium(a.chromium)
        os.makedirs(out, exist_ok=True)
        title = a.title if a.title is not None else page_title(a.page)
        url = "file://" + os.path.abspath(a.page)
        for name, w, h in SIZES:
            png = os.path.join(out, "%s.png" % name)
            if os.path.exists(png):
                os.remove(png)
            _, log = run_chromium(chromium, ["--screenshot=" + png], url, w, h)
            if not os.path.isfile(png):
                raise CheckFailed("%s: chromium wrote no screenshot:\n%s" % (name, log[-2000:]))
            errs = console_errors(log)
            dom, log2 = run_chromium(chromium, ["--dump-dom"], url, w, h)
            errs += console_errors(log2)
            dom = dom.decode("utf-8", "replace")
            with open(os.path.join(out, "%s.dom.html" % name), "w", encoding="utf-8") as f:
                f.write(dom)
            if errs:
                raise CheckFailed("%s: console errors:\n  %s" % (name, "\n  ".join(errs)))
            check_dom(dom, title, name)
            print("ok %s %dx%d: %s; title %r; no console errors" % (
                name, w, h, check_pixels(png, "%s screenshot" % name), title))
        print("page renders: %s" % a.page)
        return 0
    except CheckFailed as e:
        print("check_page: FAILED: %s" % e, file=sys.stderr)
        return 1
    except CannotRun as e:
        print("check_page: cannot check: %s" % e, file=sys.stderr)
        return 2
    finally:
        if not a.out:
            shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
