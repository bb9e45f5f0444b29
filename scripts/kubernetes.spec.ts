import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll, load } from 'js-yaml';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import type { IContainer, IPodSpec } from 'kubernetes-models/v1';
import { AppConfig, EnvSchema } from '@app/config';
import { commandProblems, ROOT } from './deploy-checks';

/**
 * deploy/kubernetes, checked as far as a machine without a cluster allows: every object is valid
 * against the Kubernetes schemas (kubernetes-models' JSON schemas), every container's environment
 * is one the config accepts, every command names a file the image holds, the probes ask the paths
 * each app serves on the port it listens on, and the Ingress sends /radio to the radios.
 */
const DIR = join(ROOT, 'deploy/kubernetes');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** The schema class of every kind the manifests use. */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/Ingress': Ingress,
};

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: unknown;
}

const kustomization = load(readFileSync(join(DIR, 'kustomization.yaml'), 'utf8')) as {
  namespace: string;
  resources: string[];
  images: { name: string; newName: string; newTag: string }[];
};
const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
const objects = files.flatMap((f) =>
  (loadAll(readFileSync(join(DIR, f), 'utf8')) as K8sObject[])
    .filter(Boolean)
    .map((o) => ({ file: f, ...o })),
);
const find = <T = K8sObject>(kind: string, name: string): T => {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name === name);
  expect(`${kind}/${name}: ${found.length}`).toBe(`${kind}/${name}: 1`);
  return found[0] as unknown as T;
};

type Workload = {
  spec: { replicas?: number; template: { metadata?: K8sObject['metadata']; spec: IPodSpec } };
};
const APPS = {
  api: {
    port: 'API_PORT',
    probes: 'apps/api/src/health/health.controller.ts',
    metrics: 'apps/api/src/health/metrics.controller.ts',
  },
  radio: {
    port: 'RADIO_PORT',
    probes: 'apps/radio/src/probes.controller.ts',
    metrics: 'apps/radio/src/probes.controller.ts',
  },
  worker: {
    port: 'WORKER_HTTP_PORT',
    probes: 'apps/worker/src/ops/worker-http.server.ts',
    metrics: 'apps/worker/src/ops/worker-http.server.ts',
  },
} as const;
type App = keyof typeof APPS;
const deployment = (app: App) => find<Workload>('Deployment', `hub-${app}`);
const jobs = ['hub-migrate', 'hub-bootstrap'].map((name) => ({
  name,
  pod: find<Workload>('Job', name).spec.template.spec,
}));

/** Whether `path` is a route the app's source serves (a Nest @Get or the worker's switch). */
const serves = (source: string, path: string) => {
  const text = read(source);
  return text.includes(`@Get('${path.slice(1)}')`) || text.includes(`case '${path}':`);
};

/** Sample answers for the template's REPLACE_ME values: a strong secret, a password, a key. */
const SAMPLES: Record<string, string> = { JWT_SECRET: '1S3JDX1/4Tqt0lFIcCLjXmJhujn+aKrwe/oRmw8jRhc=' };
const filled = (key: string, value: string) =>
  value === 'REPLACE_ME'
    ? (SAMPLES[key] ?? `sample-${key.toLowerCase()}`)
    : value.replace('REPLACE_ME', 'sample');

/** Everything a container's environment holds: its envFrom ConfigMaps and Secrets, then env. */
function environment(c: IContainer, fill = true): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of c.envFrom ?? []) {
    const data = from.configMapRef
      ? find<{ data: Record<string, string> }>('ConfigMap', from.configMapRef.name!).data
      : find<{ stringData: Record<string, string> }>('Secret', from.secretRef!.name!).stringData;
    for (const [k, v] of Object.entries(data)) {
      env[k] = fill ? filled(k, v) : v;
    }
  }
  for (const e of c.env ?? []) {
    const ref = e.valueFrom?.secretKeyRef;
    const value = ref
      ? find<{ stringData: Record<string, string> }>('Secret', ref.name!).stringData[ref.key]
      : e.value;
    env[e.name] = fill ? filled(ref?.key ?? e.name, value!) : value!;
  }
  return env;
}

describe('deploy/kubernetes', () => {
  it('lists every manifest in kustomization.yaml, in one namespace, with the one image', () => {
    expect([...kustomization.resources].sort()).toEqual([...files].sort());
    expect(find('Namespace', kustomization.namespace)).toBeDefined();
    expect(kustomization.images.map((i) => i.name)).toEqual(['retail-crime-hub']);
  });

  it('holds only objects valid against the Kubernetes schemas', () => {
    for (const o of objects) {
      const { file: _file, ...data } = o;
      const Model = MODELS[`${o.apiVersion}/${o.kind}`];
      expect(`${o.file}: ${o.kind} ${Model ? 'known' : 'unknown'}`).toBe(`${o.file}: ${o.kind} known`);
      expect(() => new Model(data as never).validate()).not.toThrow();
    }
  });

  it('negative control: the same validation refuses a broken copy of a manifest', () => {
    const { file: _file, ...api } = objects.find(
      (o) => o.kind === 'Deployment' && o.metadata.name === 'hub-api',
    )!;
    const broken = JSON.parse(JSON.stringify(api)) as Workload;
    broken.spec.template.spec.containers[0].ports![0].containerPort = 'three thousand' as unknown as number;
    expect(() => new Deployment(broken as never).validate()).toThrow(/containerPort must be integer/);
    const noContainers = JSON.parse(JSON.stringify(api)) as {
      spec: { template: { spec: Record<string, unknown> } };
    };
    delete noContainers.spec.template.spec.containers;
    expect(() => new Deployment(noContainers as never).validate()).toThrow(/containers/);
  });

  it.each(Object.keys(APPS) as App[])(
    'runs the %s twice, probing /health and /ready on the port the app listens on',
    (app) => {
      const d = deployment(app);
      expect(d.spec.replicas).toBe(2);
      const pod = d.spec.template.spec;
      expect(pod.containers).toHaveLength(1);
      const c = pod.containers[0];
      const config = AppConfig.from(environment(c));
      const port = { api: config.http.port, radio: config.radio.port, worker: config.ops.workerHttpPort }[
        app
      ];
      expect(`${app} listens on ${config.http.host}`).toBe(`${app} listens on 0.0.0.0`);
      const named = Object.fromEntries((c.ports ?? []).map((p) => [p.name, p.containerPort]));
      expect(Object.values(named)).toEqual([port]);
      for (const [probe, path] of [
        [c.startupProbe, '/health'],
        [c.livenessProbe, '/health'],
        [c.readinessProbe, '/ready'],
      ] as const) {
        expect(probe?.httpGet?.path).toBe(path);
        expect(named[probe!.httpGet!.port as string]).toBe(port);
        expect(`${app} serves ${path}: ${serves(APPS[app].probes, path)}`).toBe(
          `${app} serves ${path}: true`,
        );
      }
      // Prometheus finds /metrics on the same port
      const annotations = d.spec.template.metadata!.annotations!;
      expect(annotations['prometheus.io/scrape']).toBe('true');
      expect(Number(annotations['prometheus.io/port'])).toBe(port);
      expect(serves(APPS[app].metrics, annotations['prometheus.io/path'])).toBe(true);
      // and a disruption (a node drained) takes at most one pod at a time
      const pdb = find<{ spec: { maxUnavailable: number; selector: unknown } }>(
        'PodDisruptionBudget',
        `hub-${app}`,
      );
      expect(pdb.spec.maxUnavailable).toBe(1);
      expect(pdb.spec.selector).toEqual(
        d.spec.template.metadata && { matchLabels: d.spec.template.metadata.labels },
      );
    },
  );

  it.each(Object.keys(APPS) as App[])(
    'gives the %s a grace period covering the drain, with readiness seen failing during it',
    (app) => {
      const pod = deployment(app).spec.template.spec;
      const c = pod.containers[0];
      const drainMs = AppConfig.from(environment(c)).ops.shutdownDrainMs;
      expect(drainMs).toBeGreaterThan(0);
      // the drain, then Nest's close (connections, BullMQ's wait for active jobs)
      expect(pod.terminationGracePeriodSeconds! * 1000).toBeGreaterThanOrEqual(drainMs + 15_000);
      const probe = c.readinessProbe!;
      expect(probe.periodSeconds! * probe.failureThreshold! * 1000).toBeLessThan(drainMs);
      // the app drains on SIGTERM itself: a preStop sleep would only add to it
      expect(c.lifecycle?.preStop).toBeUndefined();
    },
  );

  it('runs every container unprivileged on a read-only root, writing only its scratch volumes', () => {
    const dockerfile = read('docker/Dockerfile');
    // the official node images' `node` user is uid and gid 1000
    expect(dockerfile).toMatch(/^FROM node:\d+/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    const pods = [
      ...(Object.keys(APPS) as App[]).map((app) => ({ name: app, pod: deployment(app).spec.template.spec })),
      ...jobs,
    ];
    for (const { name, pod } of pods) {
      expect(
        `${name}: ${JSON.stringify(pod.securityContext && { ...pod.securityContext, fsGroup: undefined })}`,
      ).toBe(
        `${name}: ${JSON.stringify({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } })}`,
      );
      expect(pod.automountServiceAccountToken).toBe(false);
      for (const c of pod.containers) {
        expect(c.securityContext).toEqual({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(c.resources?.requests?.memory).toBeDefined();
        expect(c.resources?.limits?.memory).toBeDefined();
      }
    }
    for (const app of Object.keys(APPS) as App[]) {
      const pod = deployment(app).spec.template.spec;
      const c = pod.containers[0];
      const storageDir = AppConfig.from(environment(c)).storage.dir;
      const writable = (c.volumeMounts ?? [])
        .filter((m) => !m.readOnly && pod.volumes!.find((v) => v.name === m.name)?.emptyDir)
        .map((m) => m.mountPath);
      expect(writable.sort()).toEqual([storageDir, '/tmp'].sort());
    }
  });

  it('passes every container only variables the config knows, with values it accepts, and objects in the bucket', () => {
    const known = Object.keys(new EnvSchema());
    const containers = [
      ...(Object.keys(APPS) as App[]).map((app) => ({
        name: app,
        c: deployment(app).spec.template.spec.containers[0],
      })),
      ...jobs.map(({ name, pod }) => ({ name, c: pod.containers[0] })),
    ];
    for (const { name, c } of containers) {
      const env = environment(c);
      // the bootstrap's options come in as variables its command line names, $(NAME)
      const args = new Set([...(c.command ?? []).join(' ').matchAll(/\$\(([A-Z_]+)\)/g)].map((m) => m[1]));
      expect(`${name}: ${Object.keys(env).filter((k) => !known.includes(k) && !args.has(k))}`).toBe(
        `${name}: `,
      );
      expect([...args].filter((a) => !(a in env))).toEqual([]);
      const config = AppConfig.from(env);
      expect(config.env).toBe('production');
      expect(config.storage.driver).toBe('s3');
      expect(config.radio.sameOrigin).toBe(true);
      // the template itself cannot run: its JWT_SECRET placeholder is refused
      expect(() => AppConfig.from(environment(c, false))).toThrow(/JWT_SECRET/);
    }
    // the owner's connection only in the Jobs
    for (const app of Object.keys(APPS) as App[]) {
      expect(JSON.stringify(deployment(app))).not.toContain('hub-owner');
    }
    for (const { pod } of jobs) {
      expect(environment(pod.containers[0]).DATABASE_MIGRATION_URL).toMatch(/^postgres:\/\/hub_owner:/);
    }
  });

  it('mounts the evidence signing key where EVIDENCE_SIGNING_KEY_PATH points, in the api and the worker', () => {
    for (const app of ['api', 'worker'] as const) {
      const pod = deployment(app).spec.template.spec;
      const c = pod.containers[0];
      const keyPath = AppConfig.from(environment(c)).packs.signingKeyPath;
      const mount = c.volumeMounts!.find((m) => keyPath.startsWith(`${m.mountPath}/`))!;
      expect(mount.readOnly).toBe(true);
      const secret = pod.volumes!.find((v) => v.name === mount.name)!.secret!;
      expect(secret.secretName).toBe('hub-evidence-signing-key');
      expect(secret.items!.map((i) => `${mount.mountPath}/${i.path}`)).toEqual([keyPath]);
    }
  });

  it('starts every container from the image docker/Dockerfile builds, on a file the build writes', () => {
    const compose = read('docker/docker-compose.yml');
    const pods = [
      ...(Object.keys(APPS) as App[]).map((app) => deployment(app).spec.template.spec),
      ...jobs.map((j) => j.pod),
    ];
    for (const pod of pods) {
      for (const c of pod.containers) {
        expect(c.image).toBe(kustomization.images[0].name);
        expect(`${c.name}: ${commandProblems(c.command!).join('; ')}`).toBe(`${c.name}: `);
        // the same scripts the compose file runs
        const script = c.command!.find((a) => a.startsWith('dist/'))!;
        expect(compose).toContain(script);
      }
    }
    const bootstrap = jobs[1].pod.containers[0].command!;
    expect(bootstrap).toContain('--if-absent');
  });

  it('routes /radio to the radios (websockets) and the rest to the apis, and names the external PostgreSQL and Redis', () => {
    const service = (name: string) =>
      find<{ spec: { selector: Record<string, string>; ports: { name: string; targetPort: string }[] } }>(
        'Service',
        name,
      );
    const backends = objects
      .filter((o) => o.kind === 'Ingress')
      .flatMap((o) =>
        (
          o.spec as {
            rules: {
              http: {
                paths: { path: string; backend: { service: { name: string; port: { name: string } } } }[];
              };
            }[];
          }
        ).rules.flatMap((r) => r.http.paths.map((p) => ({ ingress: o, path: p.path, ...p.backend.service }))),
      );
    expect(backends.map((b) => [b.path, b.name]).sort()).toEqual(
      [
        [new EnvSchema().RADIO_PATH, 'hub-radio'],
        ['/', 'hub-api'],
      ].sort(),
    );
    for (const b of backends) {
      const app = b.name.replace('hub-', '') as App;
      const s = service(b.name);
      expect(s.spec.selector).toEqual(deployment(app).spec.template.metadata!.labels);
      const port = s.spec.ports.find((p) => p.name === b.port.name)!;
      expect(deployment(app).spec.template.spec.containers[0].ports!.map((p) => p.name)).toContain(
        port.targetPort,
      );
    }
    const radio = backends.find((b) => b.name === 'hub-radio')!.ingress.metadata.annotations!;
    expect(Number(radio['nginx.ingress.kubernetes.io/proxy-read-timeout'])).toBeGreaterThanOrEqual(3600);
    const api = backends.find((b) => b.name === 'hub-api')!.ingress.metadata.annotations!;
    const body = /^(\d+)m$/.exec(api['nginx.ingress.kubernetes.io/proxy-body-size'])!;
    expect(Number(body[1]) * 1024 * 1024).toBeGreaterThan(new EnvSchema().EVIDENCE_MAX_BYTES);
    // PostgreSQL and Redis are outside the cluster: the URLs name ExternalName Services
    const env = environment(deployment('api').spec.template.spec.containers[0]);
    for (const url of [env.DATABASE_URL, env.REDIS_URL]) {
      const s = find<{ spec: { type: string; externalName: string } }>('Service', new URL(url).hostname);
      expect(s.spec.type).toBe('ExternalName');
    }
  });
});
