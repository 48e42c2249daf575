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
  kubernetes: optionalText({
    group: 'target',
    doc: 'Run the program in the pod of this Kubernetes Deployment (`deployment/NAME`, or just `NAME`), through `kubectl` as you have it configured. While hot reload runs the Deployment is in development mode (its container starts Hot Reload’s agent, copied in by an init container, so `FROM scratch` images work); Stop puts it back exactly as it was. One replica.',
    vscode: true,
    cli: { flag: 'kube', arg: 'deployment', help: 'run the program in the pod of this Kubernetes Deployment' },
  }),
};

/** Where the program runs: this machine (the default), a running Docker container, a host over SSH, or a Kubernetes pod. */
export const TARGET = {
  ...TARGET_PLACES,
  sshOptions: list({
    group: 'target',
    doc: 'Extra arguments for ssh, one per item, for example `["-p", "2222", "-i", "~/.ssh/deploy"]`.',
    vscode: true,
    cli: { flag: 'ssh-option', arg: 'arg', takes: 'repeat', help: 'an extra ssh argument (repeatable)' },
  }),
  kubeNamespace: optionalText({
    group: 'target',
    doc: 'The Kubernetes namespace of `kubernetes`. Empty: the namespace of kubectl’s current context.',
    vscode: true,
    cli: { flag: 'kube-namespace', arg: 'namespace' },
  }),
  kubeContext: optionalText({
    group: 'target',
    doc: 'The kubeconfig context kubectl uses for `kubernetes`. Empty: kubectl’s current context.',
    vscode: true,
    cli: { flag: 'kube-context', arg: 'context' },
  }),
  kubeContainer: optionalText({
    group: 'target',
    doc: 'The container of the pod the program runs in. Empty: the pod’s first container.',
    vscode: true,
    cli: { flag: 'kube-container', arg: 'name' },
  }),
  kubeAgentImage: optionalText({
    group: 'target',
    doc: 'The image of Hot Reload’s agent, which development mode’s init container copies into the pod. Its entrypoint is the supervisor; `hotreload kube-agent-image FILE` writes one to load into your cluster or push to your registry. Empty: `hotreload.dev/agent:1`, which the cluster must already have.',
    vscode: true,
    cli: { flag: 'kube-agent-image', arg: 'image' },
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
