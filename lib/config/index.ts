export * from './defaults';
export * from './errors';
export * from './load';
export * from './types';
export { cidrContainsAddress, parseIpv4Cidr } from './cidr';
export * from './baseline';
export * from './admission';
export * from './detection';
