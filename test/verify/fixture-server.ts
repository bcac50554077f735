import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';

/*
 * A local stand-in for the AWS endpoints: serves the recorded responses in test/fixtures/verify by
 * service (from the SigV4 credential scope) and operation (REST path, X-Amz-Target or Action=), so the
 * real SDK clients serialize requests and parse responses exactly as against AWS.
 */

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'verify');

export interface Reply {
  readonly status: number;
  readonly body: string | Buffer;
  readonly headers?: Record<string, string>;
}

/** An override's answer: a reply, or `'hang'`: read the request and never answer (a dead endpoint). */
export type Answer = Reply | 'hang';

/** `<service>/<Operation>[.<variant>]`, e.g. `eks/DescribeAddon.coredns` or `ec2/DescribeInstances.page2`. */
export type FixtureKey = string;

export interface FixtureServer {
  readonly url: string;
  /** Every request, as `<service>/<Operation>[.<variant>]`. */
  readonly requests: FixtureKey[];
  close(): Promise<void>;
}

const CONTENT_TYPE: Record<string, string> = {
  eks: 'application/json',
  ssm: 'application/x-amz-json-1.1',
  logs: 'application/x-amz-json-1.1',
  kms: 'application/x-amz-json-1.1',
  ecr: 'application/x-amz-json-1.1',
  ec2: 'text/xml;charset=UTF-8',
  iam: 'text/xml',
  cloudformation: 'text/xml',
};

function eksKey(method: string, url: URL, body: string): FixtureKey | undefined {
  const p = url.pathname.split('/').map(decodeURIComponent);
  // ListInsights is the one POST among the read-only calls: its filter and nextToken travel in the body.
  if (method === 'POST' && p[1] === 'clusters' && p[3] === 'insights' && !p[4]) {
    const token = (JSON.parse(body || '{}') as { nextToken?: string }).nextToken;
    return `ListInsights${token ? `.${token}` : ''}`;
  }
  if (method !== 'GET') return undefined;
  const token = url.searchParams.get('nextToken');
  const page = token ? `.${token}` : '';
  const role = (arn: string) => arn.split('/').pop();
  if (p[1] === 'addons' && p[2] === 'supported-versions') {
    return `DescribeAddonVersions.${url.searchParams.get('addonName')}`;
  }
  if (p[1] !== 'clusters' || !p[2]) return undefined;
  if (p.length === 3) return 'DescribeCluster';
  if (p[3] === 'addons') return p[4] ? `DescribeAddon.${p[4]}` : `ListAddons${page}`;
  if (p[3] === 'insights' && p[4]) return `DescribeInsight.${p[4]}`;
  if (p[3] === 'node-groups') return p[4] ? `DescribeNodegroup.${p[4]}` : `ListNodegroups${page}`;
  if (p[3] === 'access-entries') {
    if (!p[4]) return `ListAccessEntries${page}`;
    return p[5] === 'access-policies'
      ? `ListAssociatedAccessPolicies.${role(p[4])}`
      : `DescribeAccessEntry.${role(p[4])}`;
  }
  return undefined;
}

function keyOf(service: string, req: http.IncomingMessage, body: string): FixtureKey | undefined {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (service === 'eks') {
    const k = eksKey(req.method ?? 'GET', url, body);
    return k && `eks/${k}`;
  }
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') {
    const op = target.split('.').pop();
    const input = JSON.parse(body || '{}') as {
      KeyId?: string;
      repositoryName?: string;
      repositoryNames?: string[];
    };
    // KMS: one recorded key per alias purpose (alias/<cluster>/<purpose>); ECR: one answer per repository
    // (<cluster>/<name>).
    const named =
      op === 'DescribeKey' ? input.KeyId : (input.repositoryName ?? input.repositoryNames?.join('+'));
    const variant = named ? `.${named.split('/').pop()}` : '';
    return `${service}/${op}${variant}`;
  }
  const form = new URLSearchParams(body);
  const action = form.get('Action');
  const token = form.get('NextToken');
  return action ? `${service}/${action}${token ? `.${token}` : ''}` : undefined;
}

function fromFile(service: string, key: FixtureKey): Reply | undefined {
  const ext = ['ec2', 'iam', 'cloudformation'].includes(service) ? 'xml' : 'json';
  const file = path.join(FIXTURES, `${key}.${ext}`);
  if (!fs.existsSync(file)) return undefined;
  return { status: 200, body: fs.readFileSync(file, 'utf-8') };
}

/**
 * Starts the server on 127.0.0.1; `overrides` replace the recorded reply for a key, called with the
 * recorded body and how many times the key was asked for before (0 on the first request).
 */
export async function startFixtureServer(
  overrides: Record<FixtureKey, (recorded: string, asked: number) => Answer> = {},
): Promise<FixtureServer> {
  const requests: FixtureKey[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf-8');
      const scope = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(
        String(req.headers.authorization ?? ''),
      );
      const service = scope?.[1] ?? 'unknown';
      const key = keyOf(service, req, body) ?? `${service}/unrouted ${req.method} ${req.url}`;
      requests.push(key);
      const recorded = fromFile(service, key);
      const override = overrides[key];
      const asked = requests.filter((r) => r === key).length - 1;
      const answer: Answer = override
        ? override(typeof recorded?.body === 'string' ? recorded.body : '', asked)
        : (recorded ?? {
            status: 404,
            body: JSON.stringify({ message: `no recorded response for ${key}` }),
            headers: { 'x-amzn-errortype': 'ResourceNotFoundException' },
          });
      if (answer === 'hang') return;
      const reply = answer;
      res.writeHead(reply.status, {
        'content-type': CONTENT_TYPE[service] ?? 'application/json',
        'x-amzn-requestid': `req-${requests.length}`,
        ...reply.headers,
      });
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Requests left hanging on purpose would otherwise keep the server open.
        server.closeAllConnections();
      }),
  };
}

/**
 * Environment of a process (or of the test's own SDK clients) that may only talk to the fixture server,
 * with throwaway credentials and no shared config: `configDir` holds neither file, on purpose.
 */
export function fixtureAwsEnv(server: FixtureServer, configDir: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: server.url,
    AWS_ACCESS_KEY_ID: 'AKIDTESTTESTTESTTEST',
    AWS_SECRET_ACCESS_KEY: 'test-secret-key',
    AWS_REGION: 'us-east-1',
    AWS_CONFIG_FILE: path.join(configDir, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(configDir, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}
