import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Checks shared by the deployment tests (scripts/deploy.spec.ts for Docker Compose,
 * scripts/kubernetes.spec.ts for the manifests): what a container command may name.
 */
export const ROOT = join(__dirname, '..');

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};

/**
 * The source file the build compiles `path` from, or null when the image has no such file.
 * `nest build <app>` writes dist/apps/<app>/<source path>.js for every source of the app: its own
 * apps/<app>/src and libs/<lib>/src (apps/<app>/tsconfig.app.json).
 */
export function sourceOfBuiltFile(path: string): string | null {
  const m = /^dist\/apps\/(api|radio|worker)\/((?:apps\/\1|libs\/[a-z-]+)\/src\/.+)\.js$/.exec(path);
  if (!m) {
    return null;
  }
  const source = `${m[2]}.ts`;
  return existsSync(join(ROOT, source)) ? source : null;
}

/**
 * What is wrong with a container's command, if anything: it must start node, and every file it
 * names must be one the image holds (a dist/ file the build writes, or a file of a production
 * dependency, which `npm prune --omit=dev` keeps).
 */
export function commandProblems(command: string[]): string[] {
  const problems: string[] = [];
  if (command[0] !== 'node') {
    problems.push(`starts ${command[0]}, not node`);
  }
  const files = command.slice(1).filter((arg) => /^(dist|node_modules)\//.test(arg));
  if (!files.length) {
    problems.push('names no file');
  }
  for (const file of files) {
    if (file.startsWith('dist/')) {
      if (!sourceOfBuiltFile(file)) {
        problems.push(`${file}: the build writes no such file`);
      }
      continue;
    }
    const dep = /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1] ?? '';
    if (!pkg.dependencies[dep] || !existsSync(join(ROOT, file))) {
      problems.push(`${file}: not in a production dependency`);
    }
  }
  return problems;
}
