/**
 * The Python side of the sandbox, run as `python3 -I -B -c GUARD <mem> <cpu> <fsize> <nproc>`
 * in the run's own temporary folder, where it executes `main.py`.
 *
 * Layers, because none is enough alone:
 *  1. resource limits (set again here, so they hold even where prlimit and ulimit are missing;
 *     then `resource.setrlimit` is forbidden, because root could raise them back);
 *  2. an audit hook (PEP 578) that refuses process creation (fork, exec, spawn, subprocess,
 *     os.system), signals to other processes, sockets, ctypes, and any write, delete, rename or
 *     chmod outside the folder. RLIMIT_NPROC is not enforced for root, so as root this hook is
 *     what stops a fork bomb; the caller's process-group kill and timeout are the backstop.
 *     Audit hooks cannot be removed from Python code, but they are not a security boundary
 *     against code written to escape them; they contain accidents and careless code.
 * `SystemExit` from the program counts as failure (exit 3), as in human-eval's checker: a program
 * that exits early has not passed its tests.
 */
export const GUARD = String.raw`
import os, sys, resource

def _evalperf_guard(mem, cpu, fsize, nproc):
    def cap(res, value):
        if value < 0:
            return
        try:
            soft, hard = resource.getrlimit(res)
            if hard != resource.RLIM_INFINITY and hard < value:
                value = hard
            resource.setrlimit(res, (value, value))
        except (ValueError, OSError):
            pass
    cap(resource.RLIMIT_AS, mem)
    cap(resource.RLIMIT_CPU, cpu)
    cap(resource.RLIMIT_FSIZE, fsize)
    cap(resource.RLIMIT_NPROC, nproc)
    cap(resource.RLIMIT_CORE, 0)

    root = os.path.realpath(os.getcwd())
    realpath, fsdecode, join, sep = os.path.realpath, os.fsdecode, os.path.join, os.sep
    write_flags = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
    denied = frozenset((
        'os.fork', 'os.forkpty', 'os.system', 'os.exec', 'os.spawn', 'os.posix_spawn',
        'subprocess.Popen', 'os.kill', 'os.killpg', 'signal.pthread_kill', 'os.chroot',
        'socket.__new__', 'socket.connect', 'socket.bind', 'socket.sendto', 'socket.getaddrinfo',
        'ctypes.dlopen', 'ctypes.dlsym', 'ctypes.cdata', 'resource.setrlimit', 'resource.prlimit',
        'os.setxattr', 'os.removexattr', 'sys.remote_exec',
    ))
    denied_imports = frozenset(('_posixsubprocess', '_ctypes', 'ctypes', 'multiprocessing'))
    path_args = {
        'os.remove': (0,), 'os.rmdir': (0,), 'os.mkdir': (0,), 'os.rename': (0, 1),
        'os.link': (0, 1), 'os.symlink': (1,), 'os.chmod': (0,), 'os.chown': (0,),
        'os.truncate': (0,), 'os.utime': (0,), 'shutil.rmtree': (0,), 'shutil.copyfile': (1,),
        'shutil.copytree': (1,), 'shutil.move': (0, 1), 'os.chflags': (0,),
    }

    def inside(p):
        if isinstance(p, int):
            return True
        try:
            p = realpath(join(os.getcwd(), fsdecode(p)))
        except Exception:
            return False
        return p == root or p.startswith(root + sep) or p == '/dev/null'

    def refuse(what):
        raise PermissionError('evalperf sandbox: ' + what + ' is not allowed')

    def hook(event, args):
        if event in denied:
            refuse(event)
        if event == 'open':
            path, mode, flags = args[0], args[1], args[2]
            writing = (isinstance(mode, str) and any(c in mode for c in 'wax+')) or (isinstance(flags, int) and flags & write_flags)
            if writing and not inside(path):
                refuse('writing ' + repr(path) + ' (outside the sandbox folder)')
        elif event in path_args:
            for i in path_args[event]:
                if i < len(args) and not inside(args[i]):
                    refuse(event + ' on ' + repr(args[i]) + ' (outside the sandbox folder)')
        elif event == 'import' and args[0] in denied_imports:
            refuse('import ' + args[0])

    sys.addaudithook(hook)

_evalperf_guard(*[int(a) for a in sys.argv[1:5]])
del _evalperf_guard
with open('main.py', encoding='utf-8') as _f:
    _source = _f.read()
sys.argv = ['main.py']
_code = compile(_source, 'main.py', 'exec')
del _f, _source
try:
    exec(_code, {'__name__': '__main__', '__builtins__': __builtins__})
except SystemExit as e:
    sys.stderr.write('evalperf sandbox: the program called exit(' + repr(e.code) + ') before its tests completed\n')
    sys.stderr.flush()
    os._exit(3)
`;
