// Validates Kubernetes objects (a JSON array on stdin) against the OpenAPI schemas of kubernetes-models,
// which ships ES modules only: run as a child process so jest's CommonJS runtime never loads it.
// Prints a JSON array of "<kind>/<name>: <error>" lines and the count validated.
const input = JSON.parse(
  await new Promise((resolve) => {
    let text = '';
    process.stdin.on('data', (d) => (text += d));
    process.stdin.on('end', () => resolve(text));
  }),
);
const errors = [];
let validated = 0;
for (const o of input) {
  const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : [undefined, o.apiVersion];
  const models = await import(
    group ? `kubernetes-models/${group}/${version}` : `kubernetes-models/${version}`
  );
  const Model = models[o.kind];
  if (!Model) {
    errors.push(`${o.kind}/${o.metadata?.name}: no model for ${o.apiVersion} ${o.kind}`);
    continue;
  }
  try {
    new Model(o).validate();
    validated++;
  } catch (e) {
    errors.push(`${o.kind}/${o.metadata?.name}: ${String(e.message).split('\n')[0]}`);
  }
}
process.stdout.write(JSON.stringify({ validated, errors }));
