export * from './defaults';
export * from './errors';
export * from './load';
export * from './types';
export { parseIpv4Cidr } from './cidr';
export * from './verify';
