import { Template } from 'aws-cdk-lib/assertions';
import { defaultBuild } from '../helpers';

/*
 * Snapshots of the synthesized templates, for reviewing a change's effect in the diff. The properties that
 * matter are asserted explicitly in the other stack tests; a snapshot change is a prompt to look, not a
 * verdict. Update with `npx jest -u` after reading the diff.
 */
describe('template snapshots |', () => {
  test.each(['network', 'cluster', 'detection'] as const)('%s stack', (name) => {
    const b = defaultBuild();
    expect(Template.fromStack(b.stacks[name]).toJSON()).toMatchSnapshot();
  });
});
