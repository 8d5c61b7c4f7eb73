-- CreateIndex
CREATE INDEX "BroadcastDelivery_status_nextAttemptAt_idx" ON "BroadcastDelivery"("status", "nextAttemptAt");
