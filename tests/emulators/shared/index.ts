export * from './http-server';
export * from './call-log';
export * from './faults';
export * from './wait-for';
