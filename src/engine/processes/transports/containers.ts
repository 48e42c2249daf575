import * as path from 'node:path';
import { runTool } from './cli';

/** A running container, as `docker ps` reports it. */
export interface RunningContainer {
  name: string;
  image?: string;
  status?: string;
  /** Its Compose project and service, when Compose made it. */
  project?: string;
  service?: string;
}

interface DockerPsRow {
  Names?: string;
  Image?: string;
  Status?: string;
  Labels?: string;
}

/** The containers the Docker Engine runs now (`docker ps`); throws a sentence when Docker cannot be asked. */
export async function runningContainers(docker: string): Promise<RunningContainer[]> {
  const out = await runTool(docker, ['ps', '--format', '{{json .}}'], { timeoutMs: 10_000 });
  const containers: RunningContainer[] = [];
  for (const line of out.split('\n')) {
    if (!line.trim()) continue;
    let row: DockerPsRow;
    try {
      row = JSON.parse(line) as DockerPsRow;
    } catch {
      continue;
    }
    if (!row.Names) continue;
    const labels = parseLabels(row.Labels ?? '');
    containers.push({
      name: row.Names.split(',')[0],
      image: row.Image,
      status: row.Status,
      project: labels.get('com.docker.compose.project'),
      service: labels.get('com.docker.compose.service'),
    });
  }
  return containers;
}

/** The Compose project a folder's `docker compose up` makes (as Compose names it). */
export function composeProject(root: string): string {
  return (
    process.env.COMPOSE_PROJECT_NAME ??
    path
      .basename(root)
      .toLowerCase()
      .replace(/[^a-z0-9_-]/g, '')
  );
}

/** `docker ps` prints labels as "k=v,k2=v2". */
function parseLabels(text: string): Map<string, string> {
  const labels = new Map<string, string>();
  for (const pair of text.split(',')) {
    const eq = pair.indexOf('=');
    if (eq > 0) labels.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return labels;
}
