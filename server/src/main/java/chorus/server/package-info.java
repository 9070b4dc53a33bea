/** The replica process. */
package chorus.server;
