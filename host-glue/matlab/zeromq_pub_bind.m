function zeromq_pub_bind(varargin)
%ZEROMQ_PUB_BIND Bind the publisher (PUB) socket to an endpoint.
%   zeromq_pub_bind(localPoint)
%
%   localPoint is an endpoint such as 'tcp://127.0.0.1:5671'. Once bound, the publisher
%   also sends a 'heartbeat' message every 5 seconds.
%
%   Errors are raised with the identifiers zeromq:<NAME> (for example
%   zeromq:INVALID_ARG); see also the Contents of this folder.
zeromq_mex('pub_bind', varargin{:});
end
