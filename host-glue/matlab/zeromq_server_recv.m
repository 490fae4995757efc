function [msg, identity] = zeromq_server_recv(varargin)
%ZEROMQ_SERVER_RECV Receive a message on the server socket.
%   [msg, identity] = zeromq_server_recv()
%
%   Waits until a client message arrives and returns its payload and the sender's
%   routing identity (pass it to zeromq_server_send to answer). While waiting, queued
%   remote calls keep running. Ctrl-C ends the wait with '' results. With
%   zeromq_set('NOBUSYWAITRECV') it returns '' at once when nothing is pending.
%
%   Errors are raised with the identifiers zeromq:<NAME> (for example
%   zeromq:INVALID_ARG); see also the Contents of this folder.
[msg, identity] = zeromq_mex('server_recv', varargin{:});
end
