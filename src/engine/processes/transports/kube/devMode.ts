/**
 * Development mode of a Deployment, as data: what the engine changes in it for a session and how
 * it goes back. The container's PID 1 becomes Hot Reload's agent (`hold`), read from an emptyDir
 * that an init container fills from the agent image, so an image with nothing but the program
 * (FROM scratch, distroless) works and a restarted container still finds the agent. The program
 * then runs under a supervisor the engine starts with `kubectl exec`. Probes that would kill or
 * restart a container whose program is not (yet) running are dropped; readiness stays, so a
 * Service sends traffic once the program listens. One replica.
 *
 * The Deployment's spec as it was is kept, as the API server returned it, in an annotation on the
 * Deployment itself: Stop puts that spec back unchanged, and an engine that was killed leaves
 * what the next session needs to do the same.
 */

export const ORIGINAL_SPEC_ANNOTATION = 'hotreload.dev/original-spec';
export const AGENT_NAME = 'hotreload-agent';
/** Where the agent and the session's files live in the container. */
export const AGENT_DIR = '/.hotreload';
export const AGENT_PATH = `${AGENT_DIR}/agent`;
/** The agent image's entrypoint, which copies itself. */
const IMAGE_SUPERVISOR = '/hotreload-supervisor';
export const DEFAULT_AGENT_IMAGE = 'hotreload.dev/agent:1';

type Json = Record<string, unknown>;

interface Container extends Json {
  name: string;
  command?: string[];
  args?: string[];
  volumeMounts?: Json[];
}

export interface Deployment {
  metadata: { name: string; namespace?: string; annotations?: Record<string, string>; resourceVersion?: string } & Json;
  spec: {
    replicas?: number;
    selector: { matchLabels?: Record<string, string> };
    template: { metadata?: Json; spec: { containers: Container[]; initContainers?: Container[]; volumes?: Json[] } & Json };
  } & Json;
  status?: Json;
}

/** Whether the Deployment is in development mode now (left so by a killed engine, or ours). */
export function inDevMode(deployment: Deployment): boolean {
  return deployment.metadata.annotations?.[ORIGINAL_SPEC_ANNOTATION] !== undefined;
}

/** The container the program runs in: the one named, else the first; throws a sentence naming the ones there are. */
export function containerIndex(deployment: Deployment, name: string | undefined): number {
  const containers = deployment.spec.template.spec.containers;
  if (!name) return 0;
  const index = containers.findIndex((c) => c.name === name);
  if (index < 0)
    throw new Error(
      `deployment/${deployment.metadata.name} has no container ${name} (it has ${containers.map((c) => c.name).join(', ')}): set kubeContainer to one of them`,
    );
  return index;
}

/** The Deployment in development mode, ready for `kubectl replace` (its resourceVersion guards against a concurrent change). */
export function toDevMode(deployment: Deployment, options: { container?: string; agentImage?: string }): Deployment {
  if (inDevMode(deployment)) return deployment;
  const index = containerIndex(deployment, options.container);
  const spec = structuredClone(deployment.spec);
  const pod = spec.template.spec;
  const mount = { name: AGENT_NAME, mountPath: AGENT_DIR };
  const original = pod.containers[index];
  const { livenessProbe: _liveness, startupProbe: _startup, args: _args, ...kept } = original;
  pod.containers[index] = {
    ...kept,
    // The original command is passed on only to be shown: in development mode the engine runs the program.
    command: [AGENT_PATH, 'hold', '--', ...(original.command ?? []), ...(original.args ?? [])],
    volumeMounts: [...(original.volumeMounts ?? []), mount],
  };
  pod.initContainers = [
    ...(pod.initContainers ?? []),
    {
      name: AGENT_NAME,
      image: options.agentImage || DEFAULT_AGENT_IMAGE,
      imagePullPolicy: 'IfNotPresent',
      command: [IMAGE_SUPERVISOR, 'install', AGENT_PATH],
      volumeMounts: [mount],
    },
  ];
  pod.volumes = [...(pod.volumes ?? []), { name: AGENT_NAME, emptyDir: {} }];
  spec.replicas = 1;
  const base = withoutStatus(deployment);
  return {
    ...base,
    metadata: { ...base.metadata, annotations: { ...deployment.metadata.annotations, [ORIGINAL_SPEC_ANNOTATION]: JSON.stringify(deployment.spec) } },
    spec,
  };
}

/** The spec the Deployment had before development mode, or undefined when it is not in it. */
export function originalSpec(deployment: Deployment): Deployment['spec'] | undefined {
  const kept = deployment.metadata.annotations?.[ORIGINAL_SPEC_ANNOTATION];
  return kept === undefined ? undefined : (JSON.parse(kept) as Deployment['spec']);
}

/** The Deployment as it was before development mode: its kept spec, the annotation gone. */
export function fromDevMode(deployment: Deployment): Deployment {
  const spec = originalSpec(deployment);
  if (spec === undefined) return deployment;
  const { [ORIGINAL_SPEC_ANNOTATION]: _kept, ...annotations } = deployment.metadata.annotations ?? {};
  const base = withoutStatus(deployment);
  return {
    ...base,
    metadata: { ...base.metadata, annotations },
    spec,
  };
}

function withoutStatus(deployment: Deployment): Deployment {
  const { status: _status, ...rest } = deployment;
  const { managedFields: _managed, ...metadata } = deployment.metadata;
  return { ...rest, metadata: metadata };
}

/** The label selector of its pods ("app=web,tier=api"). */
export function podSelector(deployment: Deployment): string {
  return Object.entries(deployment.spec.selector.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
