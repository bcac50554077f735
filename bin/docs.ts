/** `npm run docs`: regenerates docs/controls.md from the catalogue, the one list of weakening config fields (lib/compliance/deviations.ts) and the fixture configuration (test/fixtures/config), never a fork's cdk.json. */
import * as fs from 'fs';
import * as path from 'path';
import { CONTROLS } from '../lib/compliance/controls';
import { renderControlsMarkdown } from '../lib/compliance/report';
import { resolveConfig } from '../lib/config';

const root = path.join(__dirname, '..');
const cdkJson = JSON.parse(
  fs.readFileSync(path.join(root, 'test', 'fixtures', 'config', 'cdk.json'), 'utf-8'),
);
const target = path.join(root, 'docs', 'controls.md');
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, renderControlsMarkdown(CONTROLS, resolveConfig(cdkJson.context.blueprint)));
console.log(`wrote ${path.relative(root, target)} (${CONTROLS.length} controls)`);
