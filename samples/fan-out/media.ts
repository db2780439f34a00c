/** Stand-ins for the media services the workflow calls; deterministic so scenarios are repeatable. */

export interface Photo {
  id: string;
  bytes: number;
  /** Test hook: the transcoder rejects this photo (corrupt file). */
  corrupt?: boolean;
  /** Test hook: the transcoder times out on the first attempts for this photo. */
  flakyAttempts?: number;
}

export class CorruptImageError extends Error {
  name = "CorruptImageError";
}

export class TranscoderBusyError extends Error {
  name = "TranscoderBusyError";
}

export async function transcode(photo: Photo, attempt: number): Promise<{ id: string; thumbnailKey: string; kilobytes: number }> {
  if (photo.corrupt) throw new CorruptImageError(`${photo.id} is not a readable image`);
  if (attempt <= (photo.flakyAttempts ?? 0)) throw new TranscoderBusyError(`transcoder busy (attempt ${attempt})`);
  return { id: photo.id, thumbnailKey: `thumbs/${photo.id}.webp`, kilobytes: Math.ceil(photo.bytes / 4096) };
}

export async function publishGallery(albumId: string, keys: string[]): Promise<string> {
  return `https://gallery.example.com/${albumId}?photos=${keys.length}`;
}

export async function notifyOwner(owner: string, published: number, rejected: number): Promise<string> {
  return `sent to ${owner}: ${published} published, ${rejected} rejected`;
}

export async function chargeStorage(owner: string, kilobytes: number): Promise<number> {
  return Math.round(kilobytes * 0.02 * 100) / 100;
}
