"""Which service functions send messages (notices, notifications, webhook deliveries, background work), read from
their source: the outbox test holds every one of them to its promise.

A function sends when it calls an outbox or notification function, a webhook emit, or carries out a workflow row
that tells someone (congress.transitions: `Machine.allow` / `Machine.apply` with the row's name), directly or
through the functions it calls in the modules read here."""

import ast
import importlib
import inspect
import pkgutil

from congress.transitions import Machine

SINKS = {
    "congress.outbox.enqueue",
    "congress.outbox.enqueue_each",
    "congress.notifications.send_once",
    "congress.notifications.send_each",
    "congress.webhooks.emit",
}


def modules_of(names) -> list:
    """The modules named, a package with its submodules."""
    found = []
    for name in names:
        module = importlib.import_module(name)
        found.append(module)
        if hasattr(module, "__path__"):
            for info in pkgutil.iter_modules(module.__path__, f"{name}."):
                found.append(importlib.import_module(info.name))
    return found


def _aliases(module, tree) -> dict[str, str]:
    """Local name -> dotted name of what it refers to (a module or a function)."""
    names = {}
    package = module.__name__ if hasattr(module, "__path__") else module.__name__.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                names[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0]
                )
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parent = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{parent}.{base}" if base else parent
            for alias in node.names:
                names[alias.asname or alias.name] = f"{base}.{alias.name}"
    return names


def _dotted(node, aliases) -> str | None:
    if isinstance(node, ast.Name):
        return aliases.get(node.id)
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value, aliases)
        return f"{inner}.{node.attr}" if inner else None
    return None


def canonical(dotted: str) -> str:
    """Where a dotted name is defined (a function re-exported by a package resolves to its own module)."""
    module, _, name = dotted.rpartition(".")
    try:
        value = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError, ValueError):
        return dotted
    if inspect.isfunction(value):
        return f"{value.__module__}.{value.__qualname__}"
    return dotted


def _machine(dotted: str):
    module, _, name = dotted.rpartition(".")
    try:
        value = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError, ValueError):
        return None
    return value if isinstance(value, Machine) else None


def _row_sends(call: ast.Call, machine: Machine, names_target: bool) -> bool:
    """Whether the row this allow/apply call names sends: it tells someone, or it moves the state of a machine that
    announces state changes (a row that leaves the state to the service moves it when the function names one).
    Any row of the machine counts when the name is not a literal."""
    action = call.args[2] if len(call.args) > 2 else None
    literal = isinstance(action, ast.Constant) and isinstance(action.value, str)
    rows = [machine.transitions[action.value]] if literal else machine.transitions.values()
    return any(row.tells or (machine.event and (row.target is not None or names_target)) for row in rows)


def call_graph(modules) -> tuple[dict[str, set[str]], set[str]]:
    """Each function's callees (dotted names), and the functions that send directly."""
    calls, direct = {}, set()
    for module in modules:
        source = inspect.getsource(module)
        tree = ast.parse(source)
        aliases = _aliases(module, tree)
        local = {node.name for node in tree.body if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            name = f"{module.__name__}.{node.name}"
            callees = calls.setdefault(name, set())
            names_target = any(
                isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "apply"
                and any(k.arg == "target" for k in n.keywords)
                for n in ast.walk(node)
            )  # fmt: skip
            for call in (n for n in ast.walk(node) if isinstance(n, ast.Call)):
                func = call.func
                if isinstance(func, ast.Name) and func.id in local:
                    callees.add(f"{module.__name__}.{func.id}")
                    continue
                dotted = _dotted(func, aliases)
                if dotted is None:
                    continue
                dotted = canonical(dotted)
                callees.add(dotted)
                if dotted in SINKS:
                    direct.add(name)
                head, _, method = dotted.rpartition(".")
                if (
                    method in ("allow", "apply")
                    and (machine := _machine(head))
                    and _row_sends(call, machine, names_target)
                ):
                    direct.add(name)
    return calls, direct


def senders(modules) -> set[str]:
    """Every function of the modules that sends, directly or through what it calls."""
    calls, sending = call_graph(modules)
    changed = True
    while changed:
        changed = False
        for name, callees in calls.items():
            if name not in sending and callees & sending:
                sending.add(name)
                changed = True
    return sending
