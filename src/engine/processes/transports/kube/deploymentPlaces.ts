import type { Place } from '../place';
import { Kubectl, type KubeScope } from './kubectl';

interface DeploymentRow {
  metadata: { name: string; namespace?: string };
  spec: { replicas?: number; template: { spec: { containers: { image?: string }[] } } };
  status?: { readyReplicas?: number };
}

/**
 * The Deployments of the folder's namespace and context (else kubectl's current ones), as Select Target offers them. No
 * kubectl on the PATH lists none, quietly: most folders are not deployed to a cluster.
 */
export async function deploymentPlaces(scope: KubeScope): Promise<Place<'kubernetes'>[]> {
  const kubectl = new Kubectl(scope);
  let rows: DeploymentRow[];
  try {
    rows = (await kubectl.json<{ items: DeploymentRow[] }>(['get', 'deployments'], { timeoutMs: 10_000 })).items;
  } catch (err) {
    if (/not installed/.test((err as Error).message)) return [];
    throw err;
  }
  return rows
    .map((d): Place<'kubernetes'> => ({
      kind: 'kubernetes',
      label: `deployment/${d.metadata.name}`,
      detail: [d.metadata.namespace, `${d.status?.readyReplicas ?? 0}/${d.spec.replicas ?? 1} ready`, d.spec.template.spec.containers[0]?.image]
        .filter(Boolean)
        .join(' · '),
    }))
    .sort((a, b) => a.label.localeCompare(b.label));
}
