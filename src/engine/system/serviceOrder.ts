/**
 * The order services start and cut over in: each after the services it depends on (a topological
 * order, stable in the file's order otherwise). Names that are unknown, repeated or in a cycle
 * are problems of the file.
 */
import type { ServiceSpec } from './serviceSpec';

/** What is wrong with the services' names and dependencies, as sentences. */
export function checkServiceGraph(services: readonly Pick<ServiceSpec, 'name' | 'dependsOn'>[]): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  for (const { name } of services) {
    if (names.has(name)) problems.push(`the service name "${name}" is used twice`);
    names.add(name);
  }
  for (const { name, dependsOn } of services)
    for (const dep of dependsOn) {
      if (dep === name) problems.push(`${name} depends on itself`);
      else if (!names.has(dep)) problems.push(`${name} depends on "${dep}", which is not a service here (${[...names].join(', ')})`);
    }
  if (problems.length === 0) {
    const cycle = findCycle(services);
    if (cycle) problems.push(`the services depend on each other in a cycle: ${cycle.join(' → ')}; one of them must not wait for the other`);
  }
  return problems;
}

/** The services in start order: every service after those it depends on. The graph must be checked first. */
export function startOrder<T extends Pick<ServiceSpec, 'name' | 'dependsOn'>>(services: readonly T[]): T[] {
  const done = new Set<string>();
  const order: T[] = [];
  while (order.length < services.length) {
    const next = services.find((s) => !done.has(s.name) && s.dependsOn.every((d) => done.has(d)));
    if (!next) throw new Error('the services depend on each other in a cycle');
    done.add(next.name);
    order.push(next);
  }
  return order;
}

/** Every service that depends on `name`, directly or through others. */
export function dependentsOf(services: readonly Pick<ServiceSpec, 'name' | 'dependsOn'>[], name: string): string[] {
  const found = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const s of services)
      if (!found.has(s.name) && s.dependsOn.some((d) => d === name || found.has(d))) {
        found.add(s.name);
        grew = true;
      }
  }
  return [...found];
}

function findCycle(services: readonly Pick<ServiceSpec, 'name' | 'dependsOn'>[]): string[] | undefined {
  const byName = new Map(services.map((s) => [s.name, s]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done') return undefined;
    if (state.get(name) === 'visiting') return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, 'visiting');
    stack.push(name);
    for (const dep of byName.get(name)?.dependsOn ?? []) {
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const s of services) {
    const cycle = visit(s.name);
    if (cycle) return cycle;
  }
  return undefined;
}
