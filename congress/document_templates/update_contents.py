"""Run by Debian's python3 (which has LibreOffice's UNO bridge, python3-uno), not by the project's: load a .docx
into a private headless LibreOffice, update its tables of contents so their entries carry the pages the layout
gives, and export it as PDF. LibreOffice's plain --convert-to keeps a Word TOC field's entries as written.

Usage: python3 update_contents.py SOFFICE PROFILE_DIR SOURCE.docx TARGET.pdf"""

import contextlib
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue

CONNECT_SECONDS = 120


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(pipe):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:  # the office is still starting: its pipe is not there yet
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def main(binary, profile, source, target):
    pipe = f"contents{time.time_ns()}"
    office = subprocess.Popen(
        [binary, f"-env:UserInstallation={uno.systemPathToFileUrl(profile)}", "--headless", "--invisible",
         "--norestore", f"--accept=pipe,name={pipe};urp;"]
    )  # fmt: skip
    try:
        context = connect(pipe)
        desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0, (prop("Hidden", True),))
        indexes = document.getDocumentIndexes()
        for index in range(indexes.getCount()):
            indexes.getByIndex(index).update()
        document.storeToURL(uno.systemPathToFileUrl(target), (prop("FilterName", "writer_pdf_Export"),))
        document.close(True)
        with contextlib.suppress(Exception):  # the bridge drops as the office quits
            desktop.terminate()
        office.wait(timeout=60)
    finally:
        if office.poll() is None:
            office.kill()
            office.wait()


if __name__ == "__main__":
    main(*sys.argv[1:5])
