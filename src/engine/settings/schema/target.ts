import { list, optionalText } from './spec';

/**
 * The settings that name where the program runs, one per kind of place other than this machine
 * (the target table, settings/targets.ts, says which kind each is). At most one is set.
 */
export const TARGET_PLACES = {
  container: optionalText({
    group: 'target',
    doc: 'Run the program in this running Docker container (its name or id), built here for the container’s platform. The container needs nothing inside (a `FROM scratch` image works); Hot Reload copies its supervisor in and runs the program under it.',
    vscode: true,
    cli: { flag: 'docker', arg: 'container', help: 'run the program in this running Docker container' },
  }),
  composeService: optionalText({
    group: 'target',
    doc: 'Run the program in the running container of this Docker Compose service (of the project named after the folder, or `COMPOSE_PROJECT_NAME`).',
    vscode: true,
    cli: { flag: 'compose-service', arg: 'service', help: 'run the program in the container of this Compose service' },
  }),
  sshHost: optionalText({
    group: 'target',
    doc: 'Run the program on this host over SSH (`user@host`, or a name from your SSH config), with your own ssh client and keys; built here for the host’s platform.',
    vscode: true,
    cli: { flag: 'ssh', arg: 'host', help: 'run the program on this host over SSH' },
  }),
};

/** Where the program runs: this machine (the default), a running Docker container, or a host over SSH. */
export const TARGET = {
  ...TARGET_PLACES,
  sshOptions: list({
    group: 'target',
    doc: 'Extra arguments for ssh, one per item, for example `["-p", "2222", "-i", "~/.ssh/deploy"]`.',
    vscode: true,
    cli: { flag: 'ssh-option', arg: 'arg', takes: 'repeat', help: 'an extra ssh argument (repeatable)' },
  }),
  remoteWorkDir: optionalText({
    group: 'target',
    doc: 'The folder on the container or host where Hot Reload keeps its supervisor and the builds it ships (`/.hotreload` in a container, `~/.cache/hotreload/agent` over SSH). Emptied when hot reload stops.',
    vscode: true,
    cli: { flag: 'remote-work-dir', arg: 'dir' },
  }),
  remoteCwd: optionalText({
    group: 'target',
    doc: 'The working directory of the program on the container or host. Empty: the container’s working directory, or the SSH user’s home.',
    vscode: true,
    cli: { flag: 'remote-cwd', arg: 'dir' },
  }),
};
