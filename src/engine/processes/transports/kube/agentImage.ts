import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { tarArchive } from './tarArchive';

const sha256 = (data: Buffer | string): string => crypto.createHash('sha256').update(data).digest('hex');

/**
 * Hot Reload's agent image as a docker-archive tar (what `docker save` writes): one layer holding
 * the supervisor at /hotreload-supervisor, its entrypoint, FROM scratch. Load it with
 * `docker load`, `kind load image-archive`, `minikube image load` or `ctr images import`, or push
 * it to the registry the cluster pulls from; kubeAgentImage names it.
 */
export function agentImageArchive(options: { supervisor: string; ref: string; goos: string; goarch: string }): Buffer {
  const layer = tarArchive([{ name: 'hotreload-supervisor', mode: 0o755, content: fs.readFileSync(options.supervisor) }]);
  const layerId = sha256(layer);
  const config = JSON.stringify({
    architecture: options.goarch,
    os: options.goos,
    config: { Entrypoint: ['/hotreload-supervisor'], Cmd: ['version'] },
    rootfs: { type: 'layers', diff_ids: [`sha256:${layerId}`] },
  });
  const configName = `${sha256(config)}.json`;
  const manifest = JSON.stringify([{ Config: configName, RepoTags: [options.ref], Layers: [`${layerId}/layer.tar`] }]);
  return tarArchive([
    { name: `${layerId}/`, mode: 0o755 },
    { name: `${layerId}/layer.tar`, mode: 0o644, content: layer },
    { name: configName, mode: 0o644, content: Buffer.from(config) },
    { name: 'manifest.json', mode: 0o644, content: Buffer.from(manifest) },
  ]);
}
