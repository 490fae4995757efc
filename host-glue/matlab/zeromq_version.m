function [library, libzmq] = zeromq_version(varargin)
%ZEROMQ_VERSION The versions of the zeromq_xop library and of libzmq, as text.
%   [library, libzmq] = zeromq_version()
%
%   Errors are raised with the identifiers zeromq:<NAME> (for example
%   zeromq:INVALID_ARG); see also the Contents of this folder.
[library, libzmq] = zeromq_mex('version', varargin{:});
end
