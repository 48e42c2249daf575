/**
 * The target table: one row per kind of place a program can run in, with everything the engine
 * and the front ends need of it: its picker icon, how its places are listed, and the transport
 * that reaches one. The setting that picks a kind and the check of its value are the same row's
 * settings half (settings/targets.ts), kept there because settings sit below processes; the
 * mapped types below make the compiler ask for both halves of a new kind.
 */
import type { Settings } from '../../settings/types';
import { TARGET_KINDS, type TargetKind } from '../../settings/targets';
import { composeProject, type RunningContainer } from './containers';
import { DockerTransport } from './docker';
import { LocalTransport } from './local';
import type { Place } from './place';
import { deploymentPlaces } from './kube/deploymentPlaces';
import type { KubeScope } from './kube/kubectl';
import { KubeTransport } from './kube/kubeTransport';
import { sshHosts } from './sshConfig';
import { SshTransport } from './ssh';
import type { Transport } from './transport';

/** What listing places may ask, shared by the rows of one listing (one `docker ps` for containers and services). */
export interface Discovery {
  /** The project folder (whose name is its Compose project's, unless COMPOSE_PROJECT_NAME says otherwise). */
  root: string;
  /** The user's SSH config file. */
  sshConfig: string;
  /** The running containers; rejects with a sentence when Docker cannot be asked. */
  containers: () => Promise<RunningContainer[]>;
  /** Where to list Deployments: the folder's namespace and context, and the kubectl to ask. */
  kube: KubeScope;
}

export interface TargetRow<K extends TargetKind = TargetKind> {
  readonly kind: K;
  /** The picker's icon, a codicon name ("package"). */
  readonly icon: string;
  /** A word the picker adds to a place of this kind, when its name alone would mislead (a service reads like a container). */
  readonly tag?: string;
  /** What lists its places, for the note when it cannot ("Docker: not installed"); absent: listing never fails. */
  readonly lister?: string;
  /** Its places there are now, in the order to offer them; rejects when its lister cannot be asked. */
  discover(discovery: Discovery): Promise<Place<K>[]>;
  /** The detail of the chosen place when discovery does not list it (this machine always is). */
  readonly unlisted?: string;
  /** A place of this kind the user may type in, and how to ask for it (an SSH host not in the config). */
  readonly typed?: { label: string; description: string; title: string; prompt: string };
  /** Whether the program's ports are reached through the transport's `forward` (a pod's are not this machine's). */
  readonly forwardsPorts?: boolean;
  /** How the supervisor reaches the place `value` names (the setting's value; empty for this machine). */
  transport(value: string, settings: Settings): () => Promise<Transport>;
}

/** Holds `transport` for the session's life (a Compose service's is looked up each time it is needed). */
function ready(transport: Transport): () => Promise<Transport> {
  return () => Promise.resolve(transport);
}

const TARGETS: { readonly [K in TargetKind]: TargetRow<K> } = {
  local: {
    kind: 'local',
    icon: 'vm',
    discover: () => Promise.resolve([{ kind: 'local', label: 'This machine' }]),
    transport: () => ready(new LocalTransport()),
  },
  compose: {
    kind: 'compose',
    icon: 'layers',
    tag: 'Compose service',
    lister: 'Docker',
    // A service of the folder's own project, by its first container: it follows the service when that container is recreated.
    discover: async ({ root, containers }) => {
      const own = composeProject(root);
      const services = new Map<string, string>();
      for (const c of await containers())
        if (c.project === own && c.service && !services.has(c.service)) services.set(c.service, `Compose service · container ${c.name}`);
      return [...services].map(([label, detail]) => ({ kind: 'compose', label, detail }));
    },
    unlisted: 'not running',
    transport: (service, settings) => () => DockerTransport.forComposeService(service, settings.root, settings.remoteWorkDir),
  },
  container: {
    kind: 'container',
    icon: 'package',
    lister: 'Docker',
    discover: async ({ containers }) =>
      (await containers())
        .map((c): Place<'container'> => ({
          kind: 'container',
          label: c.name,
          detail: [c.project && c.service ? `${c.project}/${c.service}` : undefined, c.image, c.status].filter(Boolean).join(' · '),
        }))
        .sort((a, b) => a.label.localeCompare(b.label)),
    unlisted: 'not running',
    transport: (container, settings) => ready(new DockerTransport(container, { workDir: settings.remoteWorkDir })),
  },
  ssh: {
    kind: 'ssh',
    icon: 'remote',
    discover: ({ sshConfig }) => Promise.resolve(sshHosts(sshConfig)),
    unlisted: 'the current setting',
    typed: {
      label: 'SSH host…',
      description: 'user@host, or a name from your SSH config',
      title: 'Hot Reload: run on an SSH host',
      prompt: 'user@host, or a Host from your SSH config. Port and key go in hotReload.sshOptions.',
    },
    transport: (host, settings) => ready(new SshTransport(host, settings.sshOptions, settings.remoteWorkDir)),
  },
  kubernetes: {
    kind: 'kubernetes',
    icon: 'cloud',
    tag: 'Kubernetes',
    lister: 'kubectl',
    discover: ({ kube }) => deploymentPlaces(kube),
    unlisted: 'not listed by kubectl',
    forwardsPorts: true,
    transport: (workload, s) =>
      ready(
        new KubeTransport({
          workload,
          namespace: s.kubeNamespace,
          context: s.kubeContext,
          container: s.kubeContainer,
          agentImage: s.kubeAgentImage,
          workDir: s.remoteWorkDir,
        }),
      ),
  },
};

/** Every row, in the order Select Target lists the kinds. */
export const TARGET_ROWS: readonly TargetRow[] = TARGET_KINDS.map((kind) => TARGETS[kind]);

export function targetRow<K extends TargetKind>(kind: K): TargetRow<K> {
  return TARGETS[kind];
}
