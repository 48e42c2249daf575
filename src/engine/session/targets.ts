export { listTargets } from '../languages';
