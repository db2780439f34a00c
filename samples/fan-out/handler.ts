import { createRetryStrategy, withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";
import { chargeStorage, notifyOwner, publishGallery, transcode, type Photo } from "./media.ts";

interface AlbumUpload {
  albumId: string;
  owner: string;
  photos: Photo[];
}

/**
 * Fan-out: every photo of an uploaded album is transcoded in its own map item (one corrupt photo
 * is tolerated), then three named branches run side by side: publish the gallery, tell the owner,
 * charge the storage.
 */
export const handler = withDurableExecution(async (event: AlbumUpload, context: DurableContext) => {
  const transcoded = await context.map(
    "transcode-photos",
    event.photos,
    async (ctx, photo) => {
      const thumb = await ctx.step(`transcode-${photo.id}`, async (stepCtx) => transcode(photo, stepCtx.attempt), {
        retryStrategy: createRetryStrategy({ maxAttempts: 3, initialDelay: { seconds: 2 }, retryableErrors: [/busy/] }),
      });
      if (thumb.kilobytes > 500) {
        // Large thumbnails settle on the CDN before they are listed.
        await ctx.wait("cdn-settle", { seconds: 30 });
      }
      return thumb;
    },
    { itemNamer: (photo) => `photo-${photo.id}`, completionConfig: { toleratedFailureCount: 1 } },
  );

  if (transcoded.completionReason === "FAILURE_TOLERANCE_EXCEEDED") {
    return { albumId: event.albumId, status: "rejected", reason: `${transcoded.failureCount} photos could not be read` };
  }
  const thumbnails = transcoded.getResults();
  const rejected = transcoded.getErrors().map((e) => e.message);
  const kilobytes = thumbnails.reduce((sum, t) => sum + t.kilobytes, 0);

  const followUps = await context.parallel("follow-ups", [
    { name: "publish-gallery", func: async (ctx) => ctx.step("publish", async () => publishGallery(event.albumId, thumbnails.map((t) => t.thumbnailKey))) },
    { name: "notify-owner", func: async (ctx) => ctx.step("notify", async () => notifyOwner(event.owner, thumbnails.length, rejected.length)) },
    { name: "charge-storage", func: async (ctx) => ctx.step("charge", async () => chargeStorage(event.owner, kilobytes)) },
  ], { completionConfig: { toleratedFailurePercentage: 100 } });
  // Every follow-up ran; a failed one fails the workflow (with the first failure, as ChildContextError).
  followUps.throwIfError();
  const [galleryUrl, notice, charged] = followUps.getResults();

  return { albumId: event.albumId, status: rejected.length > 0 ? "published-with-rejections" : "published", galleryUrl, notice, charged, rejected };
});
