// Types for cluster-key-slot (ioredis's own slot function; the package ships none): CRC16 of the key's hash tag.
declare module "cluster-key-slot" {
  export default function keySlot(key: string): number;
}
