CREATE TABLE `leads` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`rooftop_id` text,
	`source` text NOT NULL,
	`provider` text,
	`external_id` text,
	`external_source` text,
	`dedupe_key` text NOT NULL,
	`status` text DEFAULT 'new' NOT NULL,
	`customer` text NOT NULL,
	`vehicles` text NOT NULL,
	`comments` text,
	`adf` text NOT NULL,
	`adf_key` text NOT NULL,
	`warnings` text NOT NULL,
	`contacted_at` integer,
	`contacted_channel` text,
	`contacted_by` text,
	`contact_note` text,
	`published_at` integer,
	`publish_claimed_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `leads_tenant_dedupe` ON `leads` (`tenant_id`,`dedupe_key`);--> statement-breakpoint
CREATE INDEX `leads_tenant_created` ON `leads` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `leads_tenant_status` ON `leads` (`tenant_id`,`status`,`created_at`);