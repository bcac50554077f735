import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { resolveConfig } from '../../lib/config';
import { deployTargets, githubOutputs } from '../../lib/delivery';
import { fixtureContext } from '../helpers';

/*
 * The GitHub workflows, checked statically (they cannot run here): they parse, assume roles through OIDC
 * with no stored keys, run the README's commands, gate approvals and verify after deploying. The approval
 * gate's script is run for real, with a stand-in for the GitHub CLI.
 */
const root = path.join(__dirname, '..', '..');
const dir = path.join(root, '.github', 'workflows');

interface Step {
  readonly name?: string;
  readonly id?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
}
interface Job {
  readonly permissions?: Record<string, string>;
  readonly environment?: string;
  readonly needs?: string | string[];
  readonly if?: string;
  readonly strategy?: { readonly 'max-parallel'?: number; readonly 'fail-fast'?: boolean };
  readonly steps?: readonly Step[];
}
interface Workflow {
  readonly on: Record<string, unknown>;
  readonly permissions?: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

const files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
const text = (f: string) => fs.readFileSync(path.join(dir, f), 'utf-8');
const workflow = (f: string) => parse(text(f)) as Workflow;
const allJobs = files.flatMap((f) =>
  Object.entries(workflow(f).jobs).map(([id, job]) => ({ file: f, id, job, workflow: workflow(f) })),
);
const AWS_CREDENTIALS = 'aws-actions/configure-aws-credentials@';
const runs = (job: Job) => (job.steps ?? []).map((s) => s.run ?? '').join('\n');
const stepIndex = (job: Job, pattern: RegExp) =>
  (job.steps ?? []).findIndex((s) => pattern.test(s.run ?? ''));

describe('workflows |', () => {
  test('there are a CI workflow for pull requests and a deploy workflow, and both parse', () => {
    expect(files.sort()).toEqual(['ci.yml', 'deploy.yml']);
    expect(Object.keys(workflow('ci.yml').on)).toContain('pull_request');
    expect(Object.keys(workflow('deploy.yml').on)).toContain('push');
  });

  test('EKS-DLV-001: every AWS login assumes a role with the OIDC token; no stored keys anywhere', () => {
    const logins = allJobs.filter(({ job }) =>
      (job.steps ?? []).some((s) => s.uses?.startsWith(AWS_CREDENTIALS)),
    );
    expect(logins.map((j) => `${j.file}#${j.id}`).sort()).toEqual([
      'ci.yml#environment',
      'deploy.yml#deploy',
    ]);
    for (const { job, workflow: wf } of logins) {
      expect({ ...wf.permissions, ...job.permissions }['id-token']).toBe('write');
      for (const step of (job.steps ?? []).filter((s) => s.uses?.startsWith(AWS_CREDENTIALS))) {
        expect(String(step.with?.['role-to-assume'])).toMatch(
          /^arn:\$\{\{ matrix\.partition \}\}:iam::\$\{\{ matrix\.account \}\}:role\//,
        );
        expect(Object.keys(step.with ?? {}).filter((k) => /key|secret|token/i.test(k))).toEqual([]);
      }
    }
    for (const f of files) {
      expect(text(f)).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN/);
      expect(text(f)).not.toMatch(/secrets\.\w*(KEY|SECRET|TOKEN)/i);
      // The workflow-wide default stays read-only; jobs ask for what they need.
      expect(workflow(f).permissions).toEqual({ contents: 'read' });
    }
  });

  test('every action is pinned to a full commit SHA', () => {
    for (const { job } of allJobs)
      for (const s of job.steps ?? []) if (s.uses) expect(s.uses).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
  });

  test('EKS-DLV-002: CI runs the README commands; a deploy is synthesized (cdk-nag) and checked first', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf-8');
    const ci = workflow('ci.yml').jobs;
    for (const cmd of ['npm ci', 'npm run validate', 'npm test', 'npm run synth']) {
      expect(readme).toContain(cmd);
      expect(runs(ci.build).split('\n')).toContain(cmd);
    }
    expect(runs(ci.environment)).toMatch(/npm run --silent check -- --env "\$ENVIRONMENT" --format sarif/);
    expect(ci.environment.steps?.some((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))).toBe(
      true,
    );
    const deploy = workflow('deploy.yml').jobs.deploy;
    const synth = stepIndex(deploy, /^npm run synth -- -c env="\$ENVIRONMENT"$/);
    const check = stepIndex(
      deploy,
      /^npm run --silent check -- --env "\$ENVIRONMENT" "dist\/manifests\/\$ENVIRONMENT"$/,
    );
    const cdkDeploy = stepIndex(deploy, /^npx cdk deploy --app cdk\.out /);
    expect(synth).toBeGreaterThanOrEqual(0);
    expect(check).toBeGreaterThan(synth);
    expect(cdkDeploy).toBeGreaterThan(check);
  });

  test('every npm script a workflow runs exists and the README names it', () => {
    const scripts = Object.keys(
      JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf-8')).scripts,
    );
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf-8');
    const used = new Set(
      files.flatMap((f) => [...text(f).matchAll(/npm run (?:--silent )?([\w:-]+)/g)].map((m) => m[1])),
    );
    expect(used.size).toBeGreaterThan(4);
    for (const s of used) {
      expect(scripts).toContain(s);
      expect(readme).toMatch(new RegExp(`npm run (--silent )?${s}\\b`));
    }
  });

  test('deploys run one environment at a time, in order, each in its GitHub environment', () => {
    const deploy = workflow('deploy.yml').jobs.deploy;
    expect(deploy.strategy).toMatchObject({ 'max-parallel': 1, 'fail-fast': true });
    expect(deploy.environment).toBe('${{ matrix.name }}');
  });

  test('EKS-DLV-006: verify runs against the environment right after its deploy', () => {
    const deploy = workflow('deploy.yml').jobs.deploy;
    const steps = deploy.steps ?? [];
    const cdkDeploy = stepIndex(deploy, /^npx cdk deploy --app cdk\.out /);
    expect(stepIndex(deploy, /^npm run verify -- --env "\$ENVIRONMENT" --region "\$REGION"$/)).toBe(
      cdkDeploy + 1,
    );
    expect(cdkDeploy + 1).toBe(steps.length - 1);
  });
});

describe('approval gate |', () => {
  const deploy = workflow('deploy.yml').jobs.deploy;
  const gate = deploy.steps?.find((s) => s.name === 'Approval gate');
  let bin: string;
  beforeAll(() => {
    bin = fs.mkdtempSync(path.join(os.tmpdir(), 'hardened-eks-gate-'));
    // A stand-in for the GitHub CLI: prints $FAKE_REVIEWERS, or fails like an API error.
    fs.writeFileSync(
      path.join(bin, 'gh'),
      '#!/usr/bin/env bash\n[ "$FAKE_GH_FAIL" = 1 ] && { echo "HTTP 404" >&2; exit 1; }\necho "$FAKE_REVIEWERS"\n',
      { mode: 0o755 },
    );
  });
  afterAll(() => fs.rmSync(bin, { recursive: true, force: true }));

  // As GitHub runs a `run:` step: bash -e -o pipefail.
  const runGate = (env: Record<string, string>) =>
    spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', gate?.run ?? 'exit 99'], {
      env: {
        PATH: `${bin}:${process.env.PATH}`,
        GITHUB_REPOSITORY: 'acme/platform',
        GITHUB_ACTOR: 'alice',
        ...env,
      },
      encoding: 'utf-8',
    });

  test('EKS-DLV-003: an approval: true environment deploys only with reviewers or an explicit dispatch', () => {
    expect(gate?.if).toBe('matrix.approval');
    // The gate runs before anything touches AWS.
    expect(deploy.steps?.indexOf(gate as Step)).toBe(0);
    const base = { ENVIRONMENT: 'prod', EVENT: 'push', APPROVE: '', FAKE_REVIEWERS: '0' };
    expect(runGate({ ...base, FAKE_REVIEWERS: '1' }).status).toBe(0);
    const refused = runGate(base);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain(
      'cdk.json marks prod approval: true, but the GitHub environment prod has no required reviewers',
    );
    expect(runGate({ ...base, EVENT: 'workflow_dispatch', APPROVE: 'dev, prod' }).status).toBe(0);
    expect(runGate({ ...base, EVENT: 'workflow_dispatch', APPROVE: 'production' }).status).toBe(1);
    expect(runGate({ ...base, EVENT: 'push', APPROVE: 'prod' }).status).toBe(1);
    // An unreadable environment fails closed.
    expect(runGate({ ...base, FAKE_GH_FAIL: '1' }).status).not.toBe(0);
  });
});

describe('deploy targets |', () => {
  test('one target per environment in cdk.json order, with its partition and approval flag', () => {
    const ctx = fixtureContext() as { org: unknown; environments: Record<string, Record<string, unknown>> };
    const dev = ctx.environments.dev;
    const config = resolveConfig({
      org: ctx.org,
      environments: {
        staging: { ...dev, vpcCidr: '10.20.0.0/16' },
        prod: { ...dev, region: 'us-gov-west-1', vpcCidr: '10.30.0.0/16', approval: true },
        dev,
      },
    });
    expect(deployTargets(config)).toEqual([
      { name: 'staging', account: '111111111111', region: 'us-east-1', partition: 'aws', approval: false },
      {
        name: 'prod',
        account: '111111111111',
        region: 'us-gov-west-1',
        partition: 'aws-us-gov',
        approval: true,
      },
      { name: 'dev', account: '111111111111', region: 'us-east-1', partition: 'aws', approval: false },
    ]);
    expect(githubOutputs(config).split('\n')).toEqual([
      `matrix=${JSON.stringify({ include: deployTargets(config) })}`,
      'pipeline=',
    ]);
  });
});
