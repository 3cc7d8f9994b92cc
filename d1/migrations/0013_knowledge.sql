CREATE TABLE `knowledge_bases` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`embedding_model` text NOT NULL,
	`dimensions` integer NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `knowledge_bases_tenant` ON `knowledge_bases` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `knowledge_chunks` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`knowledge_base_id` text NOT NULL,
	`document_id` text NOT NULL,
	`chunk_index` integer NOT NULL,
	`title` text,
	`text` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `knowledge_chunks_kb` ON `knowledge_chunks` (`knowledge_base_id`,`id`);--> statement-breakpoint
CREATE INDEX `knowledge_chunks_document` ON `knowledge_chunks` (`document_id`);--> statement-breakpoint
CREATE TABLE `knowledge_documents` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`knowledge_base_id` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`content_type` text NOT NULL,
	`bytes` integer NOT NULL,
	`r2_key` text NOT NULL,
	`status` text NOT NULL,
	`chunk_count` integer DEFAULT 0 NOT NULL,
	`error` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `knowledge_documents_kb` ON `knowledge_documents` (`tenant_id`,`knowledge_base_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `knowledge_vectors` (
	`chunk_id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`knowledge_base_id` text NOT NULL,
	`document_id` text NOT NULL,
	`vector` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `knowledge_vectors_kb` ON `knowledge_vectors` (`knowledge_base_id`,`chunk_id`);--> statement-breakpoint
CREATE INDEX `knowledge_vectors_document` ON `knowledge_vectors` (`document_id`);