ALTER TABLE `usage_events` ADD `request_id` text;--> statement-breakpoint
ALTER TABLE `usage_events` ADD `cache_hit` integer DEFAULT false NOT NULL;