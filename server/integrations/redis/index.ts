export { redisTransport, defaultChannel } from './redis-transport';
