import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { agentImageArchive, DEFAULT_AGENT_IMAGE, findSupervisor, platformOf } from '../engine';

const KUBE_AGENT_IMAGE_USAGE = `Usage: hotreload kube-agent-image FILE [--platform linux/amd64] [--ref IMAGE]

Writes Hot Reload's agent image (the supervisor, FROM scratch) as a docker-archive
tar, for a Kubernetes target (--kube): load it into the cluster
(kind load image-archive FILE, minikube image load FILE, ctr images import FILE)
or docker load and push it, and name it with --kube-agent-image when it is not
${DEFAULT_AGENT_IMAGE}.
`;

/** `hotreload kube-agent-image FILE`: 0 when written, 2 on bad arguments, 1 when the supervisor cannot be had. */
export async function kubeAgentImage(argv: string[], say: (line: string) => void): Promise<number> {
  let values: { platform?: string; ref?: string };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { platform: { type: 'string' }, ref: { type: 'string' } } }));
  } catch (err) {
    say(`hotreload kube-agent-image: ${(err as Error).message}\n\n${KUBE_AGENT_IMAGE_USAGE}`);
    return 2;
  }
  const [goos, goarch, extra] = (values.platform ?? 'linux/amd64').split('/');
  if (positionals.length !== 1 || !goos || !goarch || extra !== undefined) {
    say(KUBE_AGENT_IMAGE_USAGE);
    return 2;
  }
  const out = path.resolve(positionals[0]);
  const ref = values.ref ?? DEFAULT_AGENT_IMAGE;
  try {
    const supervisor = await findSupervisor(platformOf(goos, goarch));
    const temp = `${out}.part-${process.pid}`;
    fs.writeFileSync(temp, agentImageArchive({ supervisor, ref, goos, goarch }));
    fs.renameSync(temp, out);
  } catch (err) {
    say(`hotreload kube-agent-image: ${(err as Error).message}`);
    return 1;
  }
  say(`wrote ${ref} (${goos}/${goarch}) to ${out}`);
  return 0;
}
