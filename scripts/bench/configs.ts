/** Generated configs of n apps with a realistic mix of access modes and workloads. */
import { EXAMPLE_CONFIG } from '../../modules/config/example';
import type { AppConfig, CentralAuthConfig } from '../../modules/config/types';

/**
 * EXAMPLE_CONFIG with `n` apps `app<i>.<zone>`: app1 is Grafana (protected, one public path);
 * every 10th app is public (every 20th of those runs the echo workload); every 25th (i % 25 = 3)
 * is protected with two public paths; i % 15 = 7 answers 401 on /api/* (denyPaths); i % 20 = 5 runs echo;
 * the rest are protected, every 6th of them (i % 6 = 4) for the editors only, and i % 30 = 11 also gets the
 * access token. Grafana admits its admin and editor groups. Valid per modules/config/validate.ts (quota checks may still reject
 * large sizes).
 */
export function generateConfig(n: number): CentralAuthConfig {
  const zone = EXAMPLE_CONFIG.zoneName;
  const apps: AppConfig[] = [];
  for (let i = 1; i <= n; i++) {
    const base = { name: `app${i}`, host: `app${i}.${zone}` };
    if (i === 1)
      apps.push({
        ...base,
        access: 'protected',
        workload: 'grafana',
        publicPaths: ['/api/health'],
        allowedGroups: ['grafana-admins', 'grafana-editors'],
      });
    else if (i % 10 === 0) apps.push({ ...base, access: 'public', ...(i % 20 === 0 ? { workload: 'echo' as const } : {}) });
    else if (i % 25 === 3) apps.push({ ...base, access: 'protected', publicPaths: ['/healthz', '/webhooks/*'] });
    else if (i % 15 === 7) apps.push({ ...base, access: 'protected', denyPaths: ['/api/*'] });
    else if (i % 20 === 5) apps.push({ ...base, access: 'protected', workload: 'echo' });
    else if (i % 6 === 4) apps.push({ ...base, access: 'protected', allowedGroups: ['grafana-editors'] });
    else if (i % 30 === 11) apps.push({ ...base, access: 'protected', forwardAccessToken: true });
    else apps.push({ ...base, access: 'protected' });
  }
  // Past ~100 apps any realistic mix needs more than the default 100 listener rules (hosts of
  // app clients beyond the first each need one); such a platform has its ALB rule quota raised.
  return { ...EXAMPLE_CONFIG, apps, ...(n > 100 ? { quotas: { listenerRulesPerAlb: 200 } } : {}) };
}

export function describeMix(config: CentralAuthConfig): string {
  const apps = config.apps;
  const count = (f: (a: AppConfig) => boolean): number => apps.filter(f).length;
  return `${count((a) => a.access === 'protected')} protected (${count((a) => (a.publicPaths?.length ?? 0) > 0)} with public paths), ${count((a) => a.access === 'public')} public`;
}
