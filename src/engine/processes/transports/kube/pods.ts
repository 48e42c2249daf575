import type { Kubectl } from './kubectl';
import { AGENT_NAME, podSelector, type Deployment } from './devMode';

interface ContainerStatus {
  name: string;
  state?: { running?: unknown; waiting?: { reason?: string; message?: string }; terminated?: { reason?: string; exitCode?: number } };
}

export interface Pod {
  metadata: { name: string; creationTimestamp?: string; deletionTimestamp?: string };
  spec: { initContainers?: { name: string }[]; containers: { name: string }[] };
  status: { phase?: string; containerStatuses?: ContainerStatus[]; initContainerStatuses?: ContainerStatus[] };
}

/** Reasons a container waits that no amount of waiting fixes. */
const STUCK =
  /ErrImagePull|ImagePullBackOff|ErrImageNeverPull|InvalidImageName|CrashLoopBackOff|CreateContainerError|CreateContainerConfigError|RunContainerError/;

/**
 * The Deployment's pod in development mode whose container runs now: the newest one with the
 * agent, not being deleted (a rolling update may keep an old one a while). Undefined while it is
 * still coming; throws a sentence when it is stuck (the agent image cannot be had, the container
 * cannot start).
 */
export async function devModePod(kubectl: Kubectl, deployment: Deployment, container: string, agentImage: string): Promise<Pod | undefined> {
  const { items } = await kubectl.json<{ items: Pod[] }>(['get', 'pods', '-l', podSelector(deployment)]);
  const ours = items
    .filter((p) => !p.metadata.deletionTimestamp && (p.spec.initContainers ?? []).some((c) => c.name === AGENT_NAME))
    .sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''));
  const pod = ours[0];
  if (!pod) return undefined;
  const agent = pod.status.initContainerStatuses?.find((c) => c.name === AGENT_NAME)?.state?.waiting;
  if (agent?.reason && STUCK.test(agent.reason))
    throw new Error(
      `pod/${pod.metadata.name} cannot get Hot Reload's agent image ${agentImage} (${agent.reason}${agent.message ? `: ${agent.message}` : ''}): load it into the cluster or push it where the cluster pulls from (hotreload kube-agent-image FILE writes it), or set kubeAgentImage`,
    );
  const main = pod.status.containerStatuses?.find((c) => c.name === container);
  const waiting = main?.state?.waiting;
  if (waiting?.reason && STUCK.test(waiting.reason))
    throw new Error(`the container ${container} of pod/${pod.metadata.name} cannot start (${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''})`);
  return pod.status.phase === 'Running' && main?.state?.running ? pod : undefined;
}
