import { EXAMPLE_CONFIG } from '../../modules/config/example';
import { planDeployment } from '../../modules/plan/deployment';
import { configWith } from '../helpers';

const certificatesOf = (config: ReturnType<typeof configWith>) => planDeployment(config).edge.certificates;

describe('certificate planning', () => {
  test('per-host strategy gives every host its own certificate keyed by host', () => {
    const planned = certificatesOf(configWith({ certificates: 'per-host' }));
    expect(planned.map((c) => c.key)).toEqual(['echo.dev.example.com', 'grafana.dev.example.com', 'status.dev.example.com']);
  });

  test('adding a host does not change the certificates of other hosts', () => {
    const before = certificatesOf(configWith({ certificates: 'per-host' }));
    const after = certificatesOf(
      configWith({
        certificates: 'per-host',
        apps: [...EXAMPLE_CONFIG.apps, { name: 'new', host: 'aaa.dev.example.com', access: 'public' }],
      }),
    );
    expect(after.filter((c) => c.key !== 'aaa.dev.example.com')).toEqual(before);
  });
});
