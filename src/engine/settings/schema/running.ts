import { STRATEGY_NAMES } from '../../kernel/events';
import { normalizeSignal } from '../../kernel/exits';
import { choice, flag, number, type SettingSpec } from './spec';

/** Signals the program may be stopped with. */
const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2', 'SIGKILL'] as const;

/** A signal name: the common ones are offered, any the system knows is accepted ("INT" and "sigint" too). */
const signalName = (spec: Omit<SettingSpec<NodeJS.Signals>, 'kind' | 'values'>): SettingSpec<NodeJS.Signals> => ({
  ...spec,
  kind: 'enum',
  values: STOP_SIGNALS,
  normalize: (value) => normalizeSignal(value) ?? value,
});

const STRATEGIES = ['auto', ...STRATEGY_NAMES] as const;

/** How a new version replaces the running one, and what happens when it stops. */
export const RUNNING = {
  strategy: choice(STRATEGIES, {
    group: 'running',
    default: 'auto',
    valueDocs: [
      'Handoff when a Go program uses the go/hotreload package, restart otherwise (Node programs too).',
      'Stop the old version, then start the new one.',
      'Zero downtime: the new version takes over the listening socket once ready (Go: needs go/hotreload; Node: no code change, it listens on PORT or listenAddress).',
      'Zero downtime: Hot Reload forwards your port to the newest ready version (program reads PORT).',
      'Load changed code into the running process, keeping its state (Go: slots from go/hotreload/patch; Node: the new request handlers, and values made with keep()).',
    ],
    doc: 'How a new version replaces the running one.',
    vscode: true,
    cli: { flag: 'strategy', arg: 'name', help: 'auto (default), restart, handoff, proxy or patch' },
    air: { keys: ['proxy.enabled'], via: 'proxyEnabled' },
  }),
  stopSignal: signalName({
    group: 'running',
    default: 'SIGTERM',
    valueDocs: [
      'Ask it to terminate (the default).',
      'As Ctrl+C does.',
      'Quit (Go prints every goroutine’s stack).',
      'Hang up.',
      'User signal 1.',
      'User signal 2.',
      'Kill at once: no graceful shutdown.',
    ],
    doc: 'The signal that asks your program to stop, sent to its whole process group.',
    vscode: true,
    cli: { flag: 'signal', arg: 'name', help: 'stop signal (default SIGTERM)' },
    air: { keys: ['build.send_interrupt'], via: 'sendInterrupt' },
  }),
  gracePeriodMs: number({
    group: 'running',
    default: 5000,
    minimum: 0,
    doc: 'How long your program may take to stop after the stop signal before it and its children are killed, in milliseconds.',
    vscode: true,
    cli: { flag: 'grace', arg: 'ms', takes: 'duration', help: 'wait this long after the stop signal before SIGKILL (default 5000)' },
    air: { keys: ['build.kill_delay'], via: 'duration' },
  }),
  crashWindowMs: number({
    group: 'running',
    default: 1000,
    minimum: 0,
    doc: 'A version that exits within this many milliseconds of starting counts as crashed on start: the last good version is started again.',
    vscode: true,
    cli: { flag: 'crash-window', arg: 'ms', takes: 'duration' },
  }),
  keepRunningOnBuildError: flag({
    group: 'running',
    default: true,
    doc: 'Keep the running version serving when a build fails. Off: stop it (air’s `stop_on_error`).',
    vscode: true,
    cli: { flag: 'stop-on-error', sets: false, help: 'stop the running version when a build fails' },
    air: { keys: ['build.stop_on_error'], via: 'negated' },
  }),
  rerun: flag({
    group: 'running',
    default: false,
    doc: 'Start the program again when it exits by itself (after `#hotReload.rerunDelayMs#`).',
    vscode: true,
    cli: { flag: 'rerun', sets: true, help: 'start the program again when it exits by itself' },
    air: { keys: ['build.rerun'] },
  }),
  rerunDelayMs: number({
    group: 'running',
    default: 500,
    minimum: 0,
    doc: 'How long to wait before starting the program again with `#hotReload.rerun#`, in milliseconds.',
    vscode: true,
    cli: { flag: 'rerun-delay', arg: 'ms', takes: 'duration' },
    air: { keys: ['build.rerun_delay'], via: 'nonNegative' },
  }),
  outputOverflow: choice(['drop', 'pause'] as const, {
    group: 'running',
    default: 'drop',
    valueDocs: [
      'Drop what the terminal cannot keep up with, and say how much was dropped: the program never waits.',
      'Pause the program’s output until the terminal catches up: the program blocks when it writes, as in a real terminal.',
    ],
    doc: 'What happens when your program prints faster than the terminal (or the editor) shows it. Either way the engine holds at most a few megabytes of it.',
    vscode: true,
    cli: { flag: 'output-overflow', arg: 'policy', help: 'drop (default) or pause: output faster than the terminal shows it' },
  }),
  clearOnReload: flag({
    group: 'running',
    default: false,
    doc: 'Clear the terminal before each reload.',
    vscode: true,
    cli: { flag: 'clear', sets: true, help: 'clear the terminal before each reload' },
    air: { keys: ['screen.clear_on_rebuild'] },
  }),
};
