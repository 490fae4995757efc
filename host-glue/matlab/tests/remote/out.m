function r = out()
% Remote-call test function whose name is also a variable name in zeromq_mex_invoke.
r = 'out called';
end
