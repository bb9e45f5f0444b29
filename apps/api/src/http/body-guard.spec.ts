import { Readable } from 'node:stream';
import { bodyProblem, MAX_BODY_DEPTH } from './body-guard';

describe('bodyProblem', () => {
  const nested = (depth: number) => {
    let v: unknown = 'leaf';
    for (let i = 0; i < depth; i++) {
      v = { a: v };
    }
    return v;
  };

  it('accepts ordinary bodies', () => {
    expect(bodyProblem({ items: [{ valuePence: 1 }], note: 'constructor is a word' })).toBeNull();
    expect(bodyProblem(nested(MAX_BODY_DEPTH))).toBeNull();
    expect(bodyProblem(undefined)).toBeNull();
    // an upload's body is its raw stream (a cyclic object graph, like a socket's), never walked
    const upload = Object.assign(Readable.from([Buffer.from('x')]), { socket: {} as object });
    Object.assign(upload.socket, { request: upload });
    expect(bodyProblem(upload)).toBeNull();
  });

  it('refuses nesting beyond the limit without recursing (10,000 levels)', () => {
    expect(bodyProblem(nested(MAX_BODY_DEPTH + 2))?.problem).toMatch(/nested/);
    expect(bodyProblem(JSON.parse(`${'['.repeat(10_000)}${']'.repeat(10_000)}`))).not.toBeNull();
  });

  it('names a prototype-pollution key wherever it is', () => {
    expect(bodyProblem(JSON.parse('{"a":[{"b":{"__proto__":{"x":1}}}]}'))).toEqual({
      field: 'a[0].b.__proto__',
      problem: 'is not an allowed property name',
    });
    expect(bodyProblem({ prototype: 1 })?.field).toBe('prototype');
    expect(bodyProblem({ offenders: [{ constructor: {} }] })?.field).toBe('offenders[0].constructor');
  });
});
