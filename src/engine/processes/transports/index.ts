import type { Settings } from '../../settings/types';
import { DockerTransport } from './docker';
import { LocalTransport } from './local';
import { SshTransport } from './ssh';
import type { Transport } from './transport';

export type { Transport, TargetPlatform } from './transport';

/** Whether the settings name a target other than this machine. */
export function isRemote(settings: Pick<Settings, 'container' | 'composeService' | 'sshHost'>): boolean {
  return Boolean(settings.container || settings.composeService || settings.sshHost);
}

/** The label the status bar shows for a remote target ("web-1"), before it is reached. */
export function targetLabel(settings: Pick<Settings, 'container' | 'composeService' | 'sshHost'>): string | undefined {
  return settings.container ?? settings.composeService ?? settings.sshHost;
}

/** The transport the settings ask for (a Compose service is looked up when first needed). */
export function transportFor(settings: Settings): () => Promise<Transport> {
  if (settings.container) {
    const docker = new DockerTransport(settings.container, settings.remoteWorkDir);
    return () => Promise.resolve(docker);
  }
  if (settings.composeService) {
    const service = settings.composeService;
    return () => DockerTransport.forComposeService(service, settings.root, settings.remoteWorkDir);
  }
  if (settings.sshHost) {
    const ssh = new SshTransport(settings.sshHost, settings.sshOptions, settings.remoteWorkDir);
    return () => Promise.resolve(ssh);
  }
  const local = new LocalTransport();
  return () => Promise.resolve(local);
}
