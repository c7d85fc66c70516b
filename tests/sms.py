from congress.notifications import LocmemSmsBackend


class DeliveringSmsBackend(LocmemSmsBackend):
    """Stands for a provider's backend: tests run with DEBUG off, as a live site does, so the development
    backends are refused there. Texts land in LocmemSmsBackend.outbox, the tests' phone."""

    delivers = True
