package dev.rerank4j.hub;

import java.net.URI;

/**
 * What a HEAD on {@code /resolve/} told about one file.
 *
 * @param commit   the commit the file was resolved at (X-Repo-Commit)
 * @param etag     the blob's name: sha256 for LFS files (X-Linked-Etag), git blob sha1 for the others (ETag)
 * @param size     bytes, or -1 when the Hub did not say
 * @param location where to GET the bytes: the Hub itself, or a CDN it redirected to
 */
record FileMetadata(String commit, String etag, long size, URI location) {
}
