/**
 * Where the evidence report takes the compliance facts it does not own. One import per fact, so moving
 * a source (the deviations list is headed for its own declarative module) is a one-line change here.
 */
export { deviations, type Deviation } from '../report';
export { CONTROLS, type Control } from '../controls';
export { acknowledgementsIn, type Acknowledgement } from '../acknowledgements';
export { checkTemplate, TEMPLATE_RULES, type CfnTemplate, type Finding } from '../rules';
export { declaredDeviations } from '../blueprint-controls-plugin';
