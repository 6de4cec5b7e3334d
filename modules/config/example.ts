import type { CentralAuthConfig } from './types';

/**
 * The embedded example: synthesizes on a fresh machine with no AWS account and no arguments.
 * Ids are placeholders; point CENTRAL_AUTH_CONFIG at your own file for a real account.
 */
export const EXAMPLE_CONFIG: CentralAuthConfig = {
  environment: 'dev',
  region: 'eu-west-1',
  zoneName: 'dev.example.com',
  vpcId: 'vpc-0123456789abcdef0',
  publicSubnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
  clusterName: 'dev-eks',
  nlb: {
    subnets: [
      { id: 'subnet-0a1b2c3d4e5f61001', cidr: '10.0.16.0/20' },
      { id: 'subnet-0a1b2c3d4e5f61002', cidr: '10.0.32.0/20' },
    ],
  },
  cognito: {
    domainPrefix: 'example-dev-login',
    mfa: 'OPTIONAL',
    groups: [
      { name: 'grafana-admins', description: 'Grafana administrators', grafanaRole: 'Admin' },
      { name: 'grafana-editors', description: 'Grafana editors', grafanaRole: 'Editor' },
      { name: 'grafana-viewers', description: 'Grafana viewers', grafanaRole: 'Viewer' },
    ],
  },
  state: { backend: 'local' },
  apps: [
    {
      name: 'grafana',
      host: 'grafana.dev.example.com',
      access: 'protected',
      workload: 'grafana',
      publicPaths: ['/api/health'],
      allowedGroups: ['grafana-admins', 'grafana-editors', 'grafana-viewers'],
    },
    { name: 'echo', host: 'echo.dev.example.com', access: 'protected', workload: 'echo' },
    { name: 'status', host: 'status.dev.example.com', access: 'public', workload: 'echo' },
  ],
  suppressions: [
    { rule: 'ALB_ACCESS_LOGS', reason: 'Example environment: no log bucket exists in the placeholder account.' },
    { rule: 'OPERATIONS_ALARMS', reason: 'Example environment: nobody to notify; set alarms.email for a real one.' },
  ],
};
